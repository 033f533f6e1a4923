//! The conformance corpus, run through the real `mochi` binary.
//!
//! * `tests/programs/NAME.mochi` with `NAME.out` (exact stdout), optional `NAME.in` (stdin)
//!   and optional `NAME.err` (`exit: N` then stderr fragments, one per line).
//! * Every program runs under every execution mode of the build (`common::MODES`: interpreter,
//!   copy-and-patch only, default tier, tier-up at threshold 2 (so tier-up, on-stack
//!   replacement and deoptimization happen in small programs), optimizing tier, and each of
//!   the interpreter, copy-and-patch, tier-up and optimizing modes under
//!   `MOCHI_GC_STRESS=1`); all runs must print identical bytes.
//! * `tests/diagnostics/NAME.mochi` with `NAME.err`: programs that must be rejected before
//!   running, with the listed fragments (codes, `file:line:col`) in stderr.
//! * Programs run with the repository root as working directory, so the data files of
//!   `load` tests are named `tests/programs/data/...` (LANGUAGE.md §18.5: relative paths
//!   are relative to the working directory).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Outcome {
    stdout: Vec<u8>,
    stderr: String,
    code: Option<i32>,
}

fn run_mochi(args: &[&str], env: &[(&str, &str)], file: &Path, stdin: Option<&Path>) -> Outcome {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mochi"));
    cmd.args(args).arg(file).current_dir(repo_root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(match stdin {
        Some(p) => Stdio::from(std::fs::File::open(p).expect("open .in file")),
        None => Stdio::null(),
    });
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mochi");
    let out = wait_with_timeout(child, Duration::from_secs(60));
    Outcome {
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

fn wait_with_timeout(child: std::process::Child, limit: Duration) -> std::process::Output {
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(r) => r.expect("wait for mochi"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("mochi timed out after {limit:?}");
        }
    }
}

/// Parses a `.err` file: exit code, then fragments.
fn expected_failure(path: &Path) -> Option<(i32, Vec<String>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let code = lines
        .next()?
        .trim()
        .strip_prefix("exit:")?
        .trim()
        .parse()
        .ok()?;
    let frags = lines
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    Some((code, frags))
}

fn programs(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo_root().join(dir))
        .expect("read test dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "mochi"))
        .collect();
    v.sort();
    v
}

/// Runs `check` on every item on two threads; panics listing every failure.
fn for_all(items: Vec<PathBuf>, check: impl Fn(&Path) -> Result<(), String> + Sync) -> usize {
    let failures = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(p) = items.get(i) else { break };
                    if let Err(e) = check(p) {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{}: {e}", p.display()));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        items.len(),
        failures.join("\n")
    );
    items.len()
}

fn check_program(path: &Path) -> Result<(), String> {
    let expected_out =
        std::fs::read(path.with_extension("out")).map_err(|_| "missing .out file".to_string())?;
    let stdin = path.with_extension("in");
    let stdin = stdin.exists().then_some(stdin.as_path());
    let (want_code, frags) = expected_failure(&path.with_extension("err")).unwrap_or((0, vec![]));
    let mut first: Option<(String, Vec<u8>)> = None;
    for (label, args, env) in common::MODES {
        let mut full = vec!["run"];
        full.extend_from_slice(args);
        let o = run_mochi(&full, env, path, stdin);
        if o.code != Some(want_code) {
            return Err(format!(
                "[{label}] exit code {:?}, expected {want_code}; stderr:\n{}",
                o.code, o.stderr
            ));
        }
        for f in &frags {
            if !o.stderr.contains(f.as_str()) {
                return Err(format!("[{label}] stderr lacks {f:?}:\n{}", o.stderr));
            }
        }
        if o.stdout != expected_out {
            return Err(format!(
                "[{label}] stdout differs from .out:\n--- got\n{}\n--- expected\n{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&expected_out)
            ));
        }
        match &first {
            None => first = Some((label.to_string(), o.stdout)),
            Some((l0, out0)) if *out0 != o.stdout => {
                return Err(format!("[{label}] output differs from [{l0}]"));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[test]
fn conformance_programs_in_every_mode() {
    let n = for_all(programs("tests/programs"), check_program);
    assert!(n >= 150, "expected at least 150 programs, found {n}");
}

#[test]
fn diagnostics_reject_bad_programs() {
    let n = for_all(programs("tests/diagnostics"), |path| {
        let (want_code, frags) = expected_failure(&path.with_extension("err"))
            .ok_or_else(|| "missing or malformed .err file".to_string())?;
        let o = run_mochi(&["run"], &[], path, None);
        if o.code != Some(want_code) {
            return Err(format!(
                "exit code {:?}, expected {want_code}; stderr:\n{}",
                o.code, o.stderr
            ));
        }
        if !o.stdout.is_empty() {
            return Err("a program with errors must not run".into());
        }
        if o.stderr.contains("panicked") {
            return Err(format!("the front end panicked:\n{}", o.stderr));
        }
        for f in &frags {
            if !o.stderr.contains(f.as_str()) {
                return Err(format!("stderr lacks {f:?}:\n{}", o.stderr));
            }
        }
        Ok(())
    });
    assert!(
        n >= 30,
        "expected at least 30 diagnostics programs, found {n}"
    );
}
