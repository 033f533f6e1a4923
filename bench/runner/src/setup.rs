//! Getting the peers ready: installing missing tools from Debian's packages, building the
//! release `mochi` binary and compiling the C versions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::impls::Tool;
use crate::program::Program;

/// Flags every C version is compiled with. `-ffp-contract=off` keeps float kernels bit-identical
/// to the other languages on targets with fused multiply-add.
pub const C_FLAGS: [&str; 2] = ["-O2", "-ffp-contract=off"];

/// Whether `tool` runs (its version command exits 0).
pub fn tool_present(tool: Tool) -> bool {
    Command::new(tool.executable())
        .args(tool.version_args())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes sure each tool in `tools` runs, installing the missing ones with
/// `apt-get install -y PACKAGE` when `install` is set (running `apt-get update` first if the
/// plain install fails). Returns the tools that are still missing, with the reason.
pub fn ensure_tools(
    tools: &BTreeSet<Tool>,
    install: bool,
    log: &mut dyn FnMut(&str),
) -> Vec<(Tool, String)> {
    let mut missing = Vec::new();
    let wanted: Vec<Tool> = tools
        .iter()
        .copied()
        .filter(|t| *t != Tool::Mochi)
        .collect();
    let absent: Vec<Tool> = wanted.into_iter().filter(|t| !tool_present(*t)).collect();
    if absent.is_empty() {
        return missing;
    }
    let packages: Vec<&str> = absent.iter().filter_map(|t| t.debian_package()).collect();
    if install {
        log(&format!(
            "installing missing peers: apt-get install -y {}",
            packages.join(" ")
        ));
        let apt = |args: &[&str]| {
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdin(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let mut install_args = vec!["install", "-y"];
        install_args.extend(&packages);
        if !apt(&install_args) {
            log("apt-get install failed; running apt-get update and retrying");
            apt(&["update"]);
            apt(&install_args);
        }
    }
    for tool in absent {
        if !tool_present(tool) {
            let why = if install {
                "not installable"
            } else {
                "not installed (--no-install)"
            };
            log(&format!(
                "peer {} is {why}; its columns are skipped",
                tool.executable()
            ));
            missing.push((tool, why.to_string()));
        }
    }
    missing
}

/// The cargo target directory: `$CARGO_TARGET_DIR` (relative to `root` when relative), else
/// `root/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(PathBuf::from(dir)),
        _ => root.join("target"),
    }
}

/// Path of the release `mochi` binary under `target`.
pub fn mochi_binary(target: &Path) -> PathBuf {
    target.join("release").join("mochi")
}

/// Runs `cargo build --release -p mochi-cli` in `root` and returns the binary path, or the
/// reason it is unusable.
pub fn build_mochi(root: &Path, log: &mut dyn FnMut(&str)) -> Result<PathBuf, String> {
    log("building mochi: cargo build --release -p mochi-cli");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "mochi-cli"])
        .current_dir(root)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo build --release -p mochi-cli failed ({status})"
        ));
    }
    let bin = mochi_binary(&target_dir(root));
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!("build succeeded but {} is missing", bin.display()))
    }
}

/// Compiles `prog`'s C version into `out_dir/NAME` with [`C_FLAGS`]; returns the binary or gcc's
/// complaint.
pub fn compile_c(prog: &Program, out_dir: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    let out = out_dir.join(&prog.name);
    let result = Command::new("gcc")
        .args(C_FLAGS)
        .arg("-o")
        .arg(&out)
        .arg(prog.source("c"))
        .arg("-lm")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run gcc: {e}"))?;
    if result.status.success() {
        Ok(out)
    } else {
        let err = String::from_utf8_lossy(&result.stderr);
        Err(format!(
            "gcc failed: {}",
            err.lines().next().unwrap_or("").trim()
        ))
    }
}
