//! `--quick` correctness checks: every program at its tiny size (`quick.in`) must print
//! `quick.out` under every implementation that is available.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bench_runner::impls::Impl;
use bench_runner::suite::{self, Options, Status};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn quick_options(impls: Vec<Impl>, mochi: Option<PathBuf>) -> Options {
    Options {
        root: root(),
        quick: true,
        reps: 1,
        only: Vec::new(),
        impls,
        timeout: Duration::from_secs(60),
        install: false,
        mochi,
        build_mochi: false,
        before: None,
    }
}

/// Runs the quick check and fails listing every problem cell; returns how many cells passed.
fn check(opts: &Options) -> usize {
    let mut log = |line: &str| eprintln!("{line}");
    let result = suite::run_suite(opts, &mut log).expect("suite runs");
    let problems = result.problems();
    let text: Vec<String> = problems
        .iter()
        .map(|(p, i, s)| format!("{p} under {}: {}", i.label(), suite::failure_text(s)))
        .collect();
    assert!(
        problems.is_empty(),
        "quick check failed:\n{}",
        text.join("\n")
    );
    result
        .cells
        .iter()
        .flatten()
        .filter(|c| c.status == Status::Ok)
        .count()
}

/// The peers (CPython, Lua, LuaJIT, C) agree with the recorded quick outputs. Peers that are not
/// installed are skipped; the check asserts that at least one program ran somewhere.
#[test]
fn peers_match_quick_outputs() {
    let peers: Vec<Impl> = Impl::ALL.into_iter().filter(|i| !i.is_mochi()).collect();
    let passed = check(&quick_options(peers, None));
    if passed == 0 {
        eprintln!("no peer is installed: nothing was checked");
    }
}

/// Every Mochi tier (default, `--jit=always`, `--jit=opt`, interpreter) prints the recorded
/// quick outputs. Ignored unless the release
/// `mochi` binary existed when this crate was built (`cargo build --release -p mochi-cli`).
#[test]
#[cfg_attr(
    not(mochi_bin),
    ignore = "needs target/release/mochi: cargo build --release -p mochi-cli"
)]
fn mochi_matches_quick_outputs() {
    let bin = option_env!("MOCHI_BIN").map(PathBuf::from);
    let passed = check(&quick_options(
        vec![
            Impl::MochiJit,
            Impl::MochiAlways,
            Impl::MochiOpt,
            Impl::MochiInterp,
        ],
        bin,
    ));
    assert!(passed > 0, "mochi ran no program");
}
