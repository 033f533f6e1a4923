//! The stable fuzz driver: every fuzz target over the seed corpus (`tests/programs`,
//! `tests/diagnostics`) and then deterministic mutations of it, for a bounded time.
//!
//! * `MOCHI_FUZZ_SECS` (default 12: about a minute for all five in CI) seconds per target, `MOCHI_FUZZ_MAX` (default
//!   unlimited) executions per target, `MOCHI_FUZZ_SEED` (default 1) first mutation seed.
//! * Failing inputs are written to `<target dir>/fuzz-failures/TARGET-SEED.mochi`.
//! * `run_interp` runs the `mochi` binary (built first, see `mochi_progen::fuzz::mochi_binary`)
//!   with `--max-heap 64M` under a 3 s timeout per input.

use std::time::Duration;

use mochi_progen::fuzz::{Target, drive, mochi_binary, profile_dir};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fuzz(target: Target) {
    let secs = env_u64("MOCHI_FUZZ_SECS", 12);
    let max = env_u64("MOCHI_FUZZ_MAX", u64::MAX);
    let seed = env_u64("MOCHI_FUZZ_SEED", 1);
    let bin = matches!(target, Target::RunInterp | Target::RunJit).then(mochi_binary);
    let failures = profile_dir()
        .parent()
        .expect("target dir")
        .join("fuzz-failures");
    let report = drive(
        target,
        seed,
        Duration::from_secs(secs),
        max,
        &failures,
        bin.as_deref(),
    );
    eprintln!(
        "fuzz {}: {} executions, {} deep, {} timeouts, {} failures",
        target.name(),
        report.executions,
        report.deep,
        report.timeouts,
        report.failures.len()
    );
    assert!(report.executions > 0, "no input ran");
    if !report.failures.is_empty() {
        let list: Vec<String> = report
            .failures
            .iter()
            .take(20)
            .map(|(p, m)| format!("  {}: {}", p.display(), m.lines().next().unwrap_or("")))
            .collect();
        panic!(
            "{} failing inputs for {}:\n{}",
            report.failures.len(),
            target.name(),
            list.join("\n")
        );
    }
}

#[test]
fn fuzz_lex_parse() {
    fuzz(Target::LexParse);
}

#[test]
fn fuzz_check() {
    fuzz(Target::Check);
}

#[test]
fn fuzz_compile_verify() {
    fuzz(Target::CompileVerify);
}

#[test]
fn fuzz_run_interp() {
    fuzz(Target::RunInterp);
}

#[test]
fn fuzz_run_jit() {
    fuzz(Target::RunJit);
}
