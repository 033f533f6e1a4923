//! The stable fuzz driver as a command, for long runs without a nightly toolchain:
//!
//! ```sh
//! cargo build -p mochi-cli && cargo run -p mochi-progen --release --bin mochi-fuzz -- \
//!     TARGET [SECONDS] [SEED] [MOCHI_BINARY]
//! ```
//!
//! TARGET is `lex_parse`, `check`, `compile_verify`, `run_interp` or `run_jit` (these two
//! run the `mochi` binary, by default the one next to this program). Failing inputs go to
//! `target/fuzz-failures/`; the exit status is 1 when there were any.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::time::Duration;

use mochi_progen::fuzz::{Target, drive};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(target) = args.get(1).and_then(|s| Target::from_name(s)) else {
        eprintln!(
            "usage: mochi-fuzz lex_parse|check|compile_verify|run_interp|run_jit [SECONDS] [SEED] [MOCHI]"
        );
        std::process::exit(2);
    };
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let bin = args.get(4).map(PathBuf::from).unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("current exe");
        exe.with_file_name("mochi")
    });
    let failures = PathBuf::from("target/fuzz-failures");
    let report = drive(
        target,
        seed,
        Duration::from_secs(secs),
        u64::MAX,
        &failures,
        Some(&bin),
    );
    println!(
        "{}: {} executions, {} deep, {} timeouts, {} failures",
        target.name(),
        report.executions,
        report.deep,
        report.timeouts,
        report.failures.len()
    );
    for (path, msg) in &report.failures {
        println!(
            "FAIL {}: {}",
            path.display(),
            msg.lines().next().unwrap_or("")
        );
    }
    if !report.failures.is_empty() {
        std::process::exit(1);
    }
}
