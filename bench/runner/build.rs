//! Finds the release `mochi` binary of this workspace so that the `mochi_*` tests in
//! `tests/quick.rs` run only when it exists: sets `cfg(mochi_bin)` and `MOCHI_BIN=<path>`.
//!
//! `OUT_DIR` is `<target>/[<triple>/]<profile>/build/<pkg>-<hash>/out`, so the target directory
//! is four or five levels up. The watched paths (the target directory, `release/`, the binary)
//! change when the binary appears or is rebuilt, which re-runs this script.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(mochi_bin)");
    println!("cargo::rerun-if-changed=build.rs");
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let mut bin_found = None;
    for target in out_dir.ancestors().skip(4).take(2) {
        let release = target.join("release");
        let bin = release.join("mochi");
        println!("cargo::rerun-if-changed={}", target.display());
        if release.is_dir() {
            println!("cargo::rerun-if-changed={}", release.display());
        }
        if bin.is_file() && bin_found.is_none() {
            println!("cargo::rerun-if-changed={}", bin.display());
            bin_found = Some(bin);
        }
    }
    if let Some(bin) = bin_found {
        println!("cargo::rustc-cfg=mochi_bin");
        println!("cargo::rustc-env=MOCHI_BIN={}", bin.display());
    }
}
