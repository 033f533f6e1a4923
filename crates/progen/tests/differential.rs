//! Differential test: generated programs must behave identically in every execution mode.
//!
//! For each seed, `mochi_progen::generate` (three seeds in four) or `generate_error` (every
//! fourth) builds a program; it must pass the checker, compile and verify in-process, and
//! then run through the `mochi` binary in every mode of [`MODES`] with identical stdout and
//! exit code. Normal programs must exit 0; error programs must exit 1 with the planted
//! error's message on the first stderr line and the planted line in the ` --> ` location
//! line, and those two lines must be identical across modes.
//!
//! * `MOCHI_DIFF_N` (default 300) programs, starting at seed `MOCHI_DIFF_SEED` (default 0),
//!   on `MOCHI_DIFF_JOBS` threads (default 2).
//! * `MOCHI_DIFF_EXTRA_MODE="--jit=always"` adds one more mode (space-separated arguments)
//!   for trying a tier before it joins [`MODES`].
//! * The binary is built first with `cargo build -p mochi-cli` (same profile and target
//!   directory as this test) unless `MOCHI_BIN` names one.
//! * A failing program is written to `<target dir>/progen-failures/SEED.mochi`; the
//!   assertion message names every failing seed and why. Reproduce one with
//!   `cargo run -p mochi-progen --bin progen -- [--error] SEED`.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use mochi_bytecode::compiler::{CompileOptions, compile};
use mochi_progen::fuzz::{RunOutcome, mochi_binary, profile_dir, run_binary};
use mochi_syntax::{Severity, SourceFile};

/// One execution mode: label, extra `mochi run` arguments, extra environment.
struct Mode {
    label: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

/// Every execution mode of the build; the first is the reference.
const MODES: &[Mode] = &[
    Mode {
        label: "interpreter",
        args: &["--jit=off"],
        env: &[],
    },
    Mode {
        label: "interpreter, GC stress",
        args: &["--jit=off"],
        env: &[("MOCHI_GC_STRESS", "1")],
    },
    Mode {
        label: "JIT",
        args: &["--jit=always"],
        env: &[],
    },
    Mode {
        label: "JIT, GC stress",
        args: &["--jit=always"],
        env: &[("MOCHI_GC_STRESS", "1")],
    },
    Mode {
        label: "default tier",
        args: &[],
        env: &[],
    },
    Mode {
        label: "tier-up at threshold 2",
        args: &[],
        env: &[("MOCHI_TIER_THRESHOLD", "2")],
    },
    Mode {
        label: "tier-up at threshold 2, compiling thread, GC stress",
        args: &[],
        env: &[
            ("MOCHI_TIER_THRESHOLD", "2"),
            ("MOCHI_OPT_THREAD", "wait"),
            ("MOCHI_GC_STRESS", "1"),
        ],
    },
    Mode {
        label: "optimizing tier",
        args: &["--jit=opt"],
        env: &[],
    },
    Mode {
        label: "optimizing tier, GC stress",
        args: &["--jit=opt"],
        env: &[("MOCHI_GC_STRESS", "1")],
    },
];

const RUN_LIMIT: Duration = Duration::from_secs(60);

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Front-end and compiler checks in-process; `Err` explains a rejection.
fn front_end(name: &str, text: &str) -> Result<(), String> {
    let file = SourceFile::new(name, text);
    let (ast, diags) = mochi_syntax::parse(&file);
    let (checked, more) = mochi_types::check(&ast);
    let errors: Vec<String> = diags
        .iter()
        .chain(more.iter())
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.render(&file))
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "rejected by the front end (generator or checker bug):\n{}",
            errors.join("\n")
        ));
    }
    let program = compile(&ast, &checked, CompileOptions::default())
        .map_err(|e| format!("does not compile: {}", e.message()))?;
    mochi_bytecode::verify::verify(&program).map_err(|e| format!("does not verify: {e}"))?;
    Ok(())
}

fn first_two_lines(s: &str) -> String {
    s.lines().take(2).collect::<Vec<_>>().join("\n")
}

/// [`MODES`] plus `MOCHI_DIFF_EXTRA_MODE`, as `(label, args, env)`.
type OwnedMode = (String, Vec<String>, Vec<(String, String)>);

fn modes() -> Vec<OwnedMode> {
    let mut v: Vec<OwnedMode> = MODES
        .iter()
        .map(|m| {
            (
                m.label.to_string(),
                m.args.iter().map(|a| a.to_string()).collect(),
                m.env
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        })
        .collect();
    if let Ok(extra) = std::env::var("MOCHI_DIFF_EXTRA_MODE") {
        let args = extra.split_whitespace().map(String::from).collect();
        v.push((format!("extra `{extra}`"), args, Vec::new()));
    }
    v
}

/// Runs one seed; `Err` describes the first problem.
fn run_seed(
    bin: &Path,
    work: &Path,
    seed: u64,
    modes: &[OwnedMode],
) -> Result<(), (String, String)> {
    let error = seed % 4 == 3;
    let (source, expected) = if error {
        let p = mochi_progen::generate_error(seed);
        (p.source, Some((p.mode.message(), p.line)))
    } else {
        (mochi_progen::generate(seed), None)
    };
    let fail = |msg: String| (source.clone(), msg);
    let file = work.join(format!("{seed}.mochi"));
    std::fs::write(&file, &source).expect("write program");
    front_end(&file.to_string_lossy(), &source).map_err(fail)?;
    let outcomes: Vec<RunOutcome> = modes
        .iter()
        .map(|(_, args, env)| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let env: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            run_binary(bin, &args, &env, &file, RUN_LIMIT)
        })
        .collect();
    let _ = std::fs::remove_file(&file);
    for ((label, _, _), o) in modes.iter().zip(&outcomes) {
        if o.timed_out {
            return Err(fail(format!("timed out in mode `{}`", label)));
        }
        match expected {
            None if o.code != Some(0) => {
                return Err(fail(format!(
                    "exit {:?} in mode `{}` (expected 0); stderr:\n{}",
                    o.code, label, o.stderr
                )));
            }
            Some((message, line)) => {
                let head = o.stderr.lines().next().unwrap_or("");
                let loc = o.stderr.lines().nth(1).unwrap_or("");
                let want_loc = format!("{}:{line}:", file.display());
                if o.code != Some(1) || !head.contains(message) || !loc.contains(&want_loc) {
                    return Err(fail(format!(
                        "mode `{}`: expected exit 1, `{message}` at line {line}; got exit {:?}, stderr:\n{}",
                        label, o.code, o.stderr
                    )));
                }
            }
            None => {}
        }
    }
    let reference = &outcomes[0];
    for ((label, _, _), o) in modes.iter().zip(&outcomes).skip(1) {
        if o.code != reference.code {
            return Err(fail(format!(
                "exit {:?} in `{}` but {:?} in `{}`",
                o.code, label, reference.code, modes[0].0
            )));
        }
        if o.stdout != reference.stdout {
            let a = String::from_utf8_lossy(&reference.stdout);
            let b = String::from_utf8_lossy(&o.stdout);
            let line = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
            return Err(fail(format!(
                "stdout differs between `{}` and `{}` at output line {}: {:?} vs {:?}",
                modes[0].0,
                label,
                line + 1,
                a.lines().nth(line),
                b.lines().nth(line)
            )));
        }
        if expected.is_some() && first_two_lines(&o.stderr) != first_two_lines(&reference.stderr) {
            return Err(fail(format!(
                "stderr differs between `{}` and `{}`:\n{}\nvs\n{}",
                modes[0].0,
                label,
                first_two_lines(&reference.stderr),
                first_two_lines(&o.stderr)
            )));
        }
    }
    Ok(())
}

#[test]
fn generated_programs_agree_across_modes() {
    let n = env_u64("MOCHI_DIFF_N", 300);
    let first = env_u64("MOCHI_DIFF_SEED", 0);
    let jobs = env_u64("MOCHI_DIFF_JOBS", 2).max(1);
    let bin = mochi_binary();
    let modes = modes();
    let target = profile_dir().parent().expect("target dir").to_path_buf();
    let work = target.join(format!("progen-work-{}", std::process::id()));
    let failures_dir = target.join("progen-failures");
    std::fs::create_dir_all(&work).expect("work dir");
    let next = AtomicU64::new(first);
    let failures: Mutex<Vec<(u64, String)>> = Mutex::new(Vec::new());
    let done = AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let seed = next.fetch_add(1, Ordering::Relaxed);
                    if seed >= first + n {
                        break;
                    }
                    if let Err((source, msg)) = run_seed(&bin, &work, seed, &modes) {
                        let _ = std::fs::create_dir_all(&failures_dir);
                        let path = failures_dir.join(format!("{seed}.mochi"));
                        let _ = std::fs::write(&path, source);
                        eprintln!("seed {seed} FAILED ({}): {msg}", path.display());
                        failures.lock().expect("lock").push((seed, msg));
                    }
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if d.is_multiple_of(1000) {
                        eprintln!("differential: {d}/{n} programs");
                    }
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&work);
    let failures = failures.into_inner().expect("lock");
    eprintln!(
        "differential: {n} programs (seeds {first}..{}) x {} modes, {} failures",
        first + n,
        modes.len(),
        failures.len()
    );
    if !failures.is_empty() {
        let mut msg = format!(
            "{} of {n} generated programs misbehaved (written to {}):\n",
            failures.len(),
            failures_dir.display()
        );
        for (seed, m) in failures.iter().take(20) {
            msg.push_str(&format!(
                "  seed {seed}: {}\n",
                m.lines().next().unwrap_or("")
            ));
        }
        panic!("{msg}");
    }
}
