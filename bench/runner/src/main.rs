//! `bench-runner`: runs every program in `bench/programs` under the Mochi interpreter, the Mochi
//! JIT, CPython, Lua 5.4, LuaJIT (with and without its JIT) and C, checks that they all print the
//! same checksum, and writes `BENCHMARKS.md` plus raw results in `bench/results/`.
//!
//! ```text
//! cargo run --release -p bench-runner -- [--quick] [--reps N] [--only NAME] [--impls LIST]
//! ```
//!
//! The work happens in the library (`suite::run_suite`); this file parses flags and writes
//! files. See `bench/README.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use bench_runner::impls::{Impl, Tool};
use bench_runner::machine::{self, Machine};
use bench_runner::report::{self, Environment};
use bench_runner::suite::{self, Options};
use clap::Parser;

/// Benchmarks Mochi against CPython, Lua 5.4, LuaJIT and C.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Correctness only: tiny sizes from each program's quick.in, one run each, no report files;
    /// exits non-zero if any implementation that ran printed the wrong checksum or failed.
    #[arg(long)]
    quick: bool,
    /// Timed runs per program and implementation (the median is reported; at least 5 advised).
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Run only these programs (repeatable or comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Implementations to run (comma-separated labels: mochi-jit, mochi-interp, python3,
    /// lua5.4, luajit-joff, luajit, c-O2; `peers` = all but Mochi; opt-in: mochi-always
    /// (`--jit=always`), mochi-opt (`--jit=opt`), `modes` = both). Default: all but the opt-in.
    #[arg(long, value_delimiter = ',')]
    impls: Vec<String>,
    /// Seconds after which a run is killed and marked as timed out.
    #[arg(long)]
    timeout: Option<u64>,
    /// Do not apt-get install missing peers.
    #[arg(long)]
    no_install: bool,
    /// Do not build mochi; use the existing release binary.
    #[arg(long)]
    no_build: bool,
    /// Use this mochi binary (implies --no-build).
    #[arg(long)]
    mochi: Option<PathBuf>,
    /// A mochi binary built from an earlier commit: adds the column `mochi-always-before`
    /// (it under `--jit=always`), the copy-and-patch tier before and after, in one run.
    #[arg(long)]
    before: Option<PathBuf>,
    /// Where to write the Markdown report (default: BENCHMARKS.md at the repository root).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Repository root (default: two levels above this crate).
    #[arg(long)]
    root: Option<PathBuf>,
}

fn parse_impls(labels: &[String]) -> Result<Vec<Impl>> {
    if labels.is_empty() {
        return Ok(Impl::ALL.to_vec());
    }
    let mut out = Vec::new();
    for label in labels {
        let add: Vec<Impl> = match label.as_str() {
            "all" => Impl::ALL.to_vec(),
            "modes" => Impl::EXTRA.to_vec(),
            "peers" => Impl::ALL.into_iter().filter(|i| !i.is_mochi()).collect(),
            other => match Impl::from_label(other) {
                Some(imp) => vec![imp],
                None => bail!(
                    "unknown implementation {other:?} (try: mochi-jit, mochi-interp, mochi-always, mochi-opt, python3, lua5.4, luajit-joff, luajit, c-O2, peers, modes)"
                ),
            },
        };
        for imp in add {
            if !out.contains(&imp) {
                out.push(imp);
            }
        }
    }
    // Keep the canonical column order.
    Ok(Impl::ORDER
        .into_iter()
        .filter(|i| out.contains(i))
        .collect())
}

/// `YYYY-MM-DD HH:MM UTC` from the system clock (civil-from-days, proleptic Gregorian).
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

fn versions(result: &suite::SuiteResult) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for imp in &result.impls {
        let v = match imp.tool() {
            Tool::Mochi if *imp == Impl::MochiAlwaysBefore => match &result.before {
                Some(bin) => format!(
                    "{} ({})",
                    machine::version_line(bin, &["--version"]),
                    bin.display()
                ),
                None => "(no --before)".to_string(),
            },
            Tool::Mochi => match &result.mochi {
                Some(bin) => machine::version_line(bin, &["--version"]),
                None => "(not built)".to_string(),
            },
            tool => machine::tool_version(tool),
        };
        out.push((imp.label().to_string(), v));
    }
    out
}

fn write_file(path: &Path, contents: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

fn run() -> Result<bool> {
    let args = Args::parse();
    let root = match &args.root {
        Some(r) => r.clone(),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .canonicalize()?,
    };
    let mut impls = parse_impls(&args.impls)?;
    match &args.before {
        Some(path) if !path.is_file() => bail!("--before: {} is not a file", path.display()),
        Some(_) if !impls.contains(&Impl::MochiAlwaysBefore) => {
            impls.push(Impl::MochiAlwaysBefore);
            impls = Impl::ORDER
                .into_iter()
                .filter(|i| impls.contains(i))
                .collect();
        }
        None if impls.contains(&Impl::MochiAlwaysBefore) => {
            bail!("mochi-always-before needs --before PATH (a mochi binary)")
        }
        _ => {}
    }
    let timeout = Duration::from_secs(args.timeout.unwrap_or(if args.quick { 60 } else { 300 }));
    let opts = Options {
        root: root.clone(),
        quick: args.quick,
        reps: args.reps,
        only: args.only.clone(),
        impls,
        timeout,
        install: !args.no_install,
        build_mochi: !args.no_build && args.mochi.is_none(),
        mochi: args.mochi.clone(),
        before: args.before.clone(),
    };
    let mut log = |line: &str| eprintln!("{line}");
    let result = suite::run_suite(&opts, &mut log)?;

    println!("{}", report::console_summary(&result));
    let problems = result.problems();
    for (prog, imp, status) in &problems {
        println!(
            "PROBLEM: {prog} under {}: {} — {}",
            imp.label(),
            status.word(),
            suite::failure_text(status)
        );
    }

    if args.quick {
        let ran = result
            .cells
            .iter()
            .flatten()
            .filter(|c| !matches!(c.status, suite::Status::Unavailable(_)))
            .count();
        let ok = result
            .cells
            .iter()
            .flatten()
            .filter(|c| c.status == suite::Status::Ok)
            .count();
        println!("quick check: {ok} passed, {} failed", problems.len());
        if ran == 0 {
            bail!("quick check ran nothing: no implementation was available");
        }
        return Ok(problems.is_empty());
    }

    let command = std::iter::once("cargo run --release -p bench-runner --".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    let env = Environment {
        machine: Machine::detect(),
        versions: versions(&result),
        command,
        date: utc_now(),
    };
    let results_dir = root.join("bench").join("results");
    std::fs::create_dir_all(&results_dir)?;
    let chart_path = results_dir.join("ratios.svg");
    let chart_link = match result.reference() {
        Some(reference) => {
            match bench_runner::chart::draw_ratios(&result, reference, &chart_path) {
                Ok(()) => Some("bench/results/ratios.svg"),
                Err(e) => {
                    eprintln!("chart not drawn: {e:#}");
                    None
                }
            }
        }
        None => None,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("BENCHMARKS.md"));
    write_file(&out, &report::markdown(&result, &env, chart_link))?;
    write_file(
        &results_dir.join("results.json"),
        &report::json(&result, &env),
    )?;
    write_file(&results_dir.join("runs.csv"), &report::runs_csv(&result))?;
    write_file(
        &results_dir.join("jit_stats.csv"),
        &report::jit_stats_csv(&result),
    )?;
    write_file(
        &results_dir.join("gc_stats.csv"),
        &bench_runner::gc::csv(&result),
    )?;
    write_file(
        &results_dir.join("coverage.csv"),
        &bench_runner::coverage::csv(&result),
    )?;
    eprintln!(
        "wrote {} and bench/results/{{results.json,runs.csv,jit_stats.csv,gc_stats.csv,coverage.csv,ratios.svg}}",
        out.display()
    );
    Ok(true)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bench-runner: {e:#}");
            ExitCode::from(2)
        }
    }
}
