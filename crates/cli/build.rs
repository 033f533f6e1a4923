//! Links the `mochi` executable at a fixed address (not position independent) on x86-64
//! Linux: a position-independent executable spends a sixth of a short run's start-up
//! applying 12,000 relocations and copying the pages they write (`print(1)`: 1.28 ms of CPU
//! and 220 page faults as a PIE, 1.05 ms and 166 faults fixed; ARCHITECTURE.md, 2026-12-07).
//! The code stays position independent, so the libraries and tests are unaffected.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if os == "linux" && arch == "x86_64" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
