//! Fuzz targets and the deterministic mutator behind the stable fuzz driver.
//!
//! Each target takes arbitrary bytes and panics only on a bug:
//! * [`lex_parse`]: parsing never panics;
//! * [`check`]: parse + check never panic;
//! * [`compile_verify`]: a program the checker accepts compiles (an implementation
//!   `Limit` is fine, `Unsupported` is a bug) and the result verifies;
//! * [`run_binary`] / [`classify_run`]: the `mochi` binary, run under a timeout and a small
//!   heap, exits 0, 1 or 2 with a proper message, never by a signal or a Rust panic.
//!
//! The same functions back the cargo-fuzz targets in `fuzz/` and the stable driver
//! (`tests/fuzz_stable.rs`, `mochi-fuzz`), which feeds them the seed corpus plus
//! [`mutate`]d variants.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mochi_bytecode::compiler::{CompileError, CompileOptions, compile};
use mochi_syntax::{Severity, SourceFile};

use crate::rng::Rng;

fn source(data: &[u8]) -> SourceFile {
    SourceFile::new("fuzz.mochi", String::from_utf8_lossy(data).into_owned())
}

/// Parses `data` (invalid UTF-8 replaced). Panics only if the parser does.
pub fn lex_parse(data: &[u8]) {
    let file = source(data);
    let _ = mochi_syntax::parse(&file);
}

/// Stack for the passes after parsing: they recurse over the tree, which may be
/// `mochi_syntax::parser::MAX_TREE_DEPTH` (100,000) levels deep (long operator and
/// `else if` chains), about 2.5 KB a level in release builds and several times that under a
/// sanitizer. The CLI runs them on a 4 GB thread; fuzzers and test threads have 2-8 MB.
const PASSES_STACK: usize = 1 << 30;

/// Runs `f` on a thread with [`PASSES_STACK`] bytes of stack (address space; pages are
/// committed as touched), re-raising its panic here (quietly if this thread is quiet).
fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let quiet = QUIET.with(|q| q.get());
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .stack_size(PASSES_STACK)
            .spawn_scoped(scope, move || {
                QUIET.with(|q| q.set(quiet));
                f()
            });
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => panic!("cannot start a thread for the checker: {e}"),
        }
    })
}

/// Parses and, when there is no parse error, checks.
pub fn check(data: &[u8]) {
    on_big_stack(|| check_here(data));
}

fn check_here(data: &[u8]) {
    let file = source(data);
    let (ast, diags) = mochi_syntax::parse(&file);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    let _ = mochi_types::check(&ast);
}

/// Parse + check + compile + verify; panics when a checked program fails to compile
/// (other than by an implementation limit) or fails to verify. Returns whether the input
/// got as far as the verifier.
pub fn compile_verify(data: &[u8]) -> bool {
    on_big_stack(|| compile_verify_here(data))
}

fn compile_verify_here(data: &[u8]) -> bool {
    let file = source(data);
    let (ast, diags) = mochi_syntax::parse(&file);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return false;
    }
    let (checked, diags) = mochi_types::check(&ast);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return false;
    }
    let program = match compile(&ast, &checked, CompileOptions::default()) {
        Ok(p) => p,
        Err(CompileError::Limit { .. }) => return false,
        Err(e @ CompileError::Unsupported { .. }) => {
            panic!("checked program does not compile: {}", e.message())
        }
    };
    if let Err(e) = mochi_bytecode::verify::verify(&program) {
        panic!("compiled program fails to verify: {e}");
    }
    true
}

/// How one run of the binary ended.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// Exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    pub timed_out: bool,
}

/// Runs `mochi run ARGS FILE` with `env`, empty stdin, killing it after `limit`, in FILE's
/// directory (a mutated program may `save` to any relative path: keep it out of the
/// source tree).
pub fn run_binary(
    bin: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    file: &Path,
    limit: Duration,
) -> RunOutcome {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let mut cmd = Command::new(bin);
    cmd.arg("run").args(args).arg(&file);
    if let Some(dir) = file.parent() {
        cmd.current_dir(dir);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot spawn {}: {e}", bin.display()));
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > limit => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().expect("wait after kill");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => panic!("wait: {e}"),
        }
    };
    RunOutcome {
        stdout: t_out.join().unwrap_or_default(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned(),
        code: status.code(),
        timed_out,
    }
}

/// Whether a run of arbitrary input ended acceptably; `Err` describes the bug.
pub fn classify_run(o: &RunOutcome) -> Result<(), String> {
    if o.timed_out {
        return Ok(());
    }
    let first = o.stderr.lines().next().unwrap_or("");
    match o.code {
        Some(0) => Ok(()),
        Some(1)
            if first.starts_with("runtime error: ")
                || first.starts_with("panic: ")
                || first.starts_with("error: ") =>
        {
            Ok(())
        }
        Some(2) if !o.stderr.contains("internal compiler error") => Ok(()),
        _ => Err(format!(
            "bad exit {:?}; stderr:\n{}",
            o.code,
            o.stderr.chars().take(2000).collect::<String>()
        )),
    }
}

/// Runs `data` once through `mochi run ARGS` (the binary from `MOCHI_BIN`, default
/// `target/debug/mochi`) with a 3 s timeout; `Err` describes a misbehaviour. For the
/// cargo-fuzz `run_interp` / `run_jit` targets.
pub fn run_once(data: &[u8], args: &[&str]) -> Result<(), String> {
    let bin = std::env::var("MOCHI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/mochi"));
    let file = std::env::temp_dir().join(format!("mochi-fuzz-{}.mochi", std::process::id()));
    std::fs::write(&file, data).map_err(|e| format!("write input: {e}"))?;
    let o = run_binary(&bin, args, &[], &file, Duration::from_secs(3));
    classify_run(&o)
}

/// The seed corpus: `tests/programs/*.mochi` and `tests/diagnostics/*.mochi`.
pub fn seed_corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["tests/programs", "tests/diagnostics"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "mochi")
                && let Ok(bytes) = std::fs::read(&p)
            {
                files.push((p, bytes));
            }
        }
    }
    files.sort();
    files
}

const INTERESTING: &[&[u8]] = &[
    b"{",
    b"}",
    b"(",
    b")",
    b"[",
    b"]",
    b"\"",
    b"\n",
    b"..",
    b"=>",
    b":",
    b",",
    b".",
    b"-",
    b"+",
    b"*",
    b"/",
    b"%",
    b"=",
    b"==",
    b"!",
    b"&&",
    b"||",
    b"?",
    b"as int",
    b"as float",
    b" in ",
    b"0",
    b"-1",
    b"9223372036854775807",
    b"9223372036854775808",
    b"0x",
    b"1e",
    b"1e400",
    b"\\",
    b"\\u{",
    b"/*",
    b"//",
    b"#",
    b"fun ",
    b"return ",
    b"let ",
    b"var ",
    b"if ",
    b"else ",
    b"while true ",
    b"for i in 0..10 ",
    b"match ",
    b"type ",
    b"break",
    b"continue",
    b"none",
    b"print(",
    b"len(",
    b"append(",
    b"str(",
    b"fun(x: int): int => x",
    b"\xF0\x9F\x90",
    b"\xff",
    b"\0",
    b"\t",
    b";",
    b"test \"t\" { expect false }",
    b"[1, 2, 3]",
    b"{\"a\": 1}",
    b"Point { x: 1 }",
    b"list<int>",
    b"map<string, int>",
    b"any",
    b"xs[100000000000] = 1",
];

/// A deterministic mutation of one corpus entry (possibly spliced with another).
pub fn mutate(corpus: &[Vec<u8>], seed: u64) -> Vec<u8> {
    let mut r = Rng::new(seed);
    let mut data = r.pick(corpus).clone();
    let n = r.range(1, 6);
    for _ in 0..n {
        let len = data.len();
        let pos = if len == 0 {
            0
        } else {
            r.below(len as u64 + 1) as usize
        };
        match r.below(10) {
            0 if len > 0 => {
                let i = pos.min(len - 1);
                data[i] ^= 1 << r.below(8);
            }
            1 | 2 => {
                let ins = *r.pick(INTERESTING);
                data.splice(pos..pos, ins.iter().copied());
            }
            3 if len > 0 => {
                let end = (pos + r.below(16) as usize + 1).min(len);
                data.drain(pos.min(end)..end);
            }
            4 if len > 0 => {
                // Duplicate a span (repeats statements, nests brackets).
                let end = (pos + r.below(64) as usize + 1).min(len);
                let span: Vec<u8> = data[pos.min(end)..end].to_vec();
                data.splice(pos..pos, span);
            }
            5 => {
                // Splice a line range from another corpus file.
                let other = r.pick(corpus);
                let lines: Vec<&[u8]> = other.split(|&b| b == b'\n').collect();
                let a = r.below(lines.len() as u64) as usize;
                let b = (a + r.below(6) as usize + 1).min(lines.len());
                let mut chunk = lines[a..b].join(&b'\n');
                chunk.push(b'\n');
                data.splice(pos..pos, chunk);
            }
            6 => data.truncate(pos),
            7 if len > 0 => {
                // Replace a byte with a random printable one.
                let i = pos.min(len - 1);
                data[i] = b" !\"#%&()*+,-./0123456789:;<=>?[]_{|}aefinrstx"[r.below(45) as usize];
            }
            8 => {
                // Replace a number token with an edge value.
                if let Some(i) = (pos..len).find(|&i| data[i].is_ascii_digit()) {
                    let mut j = i;
                    while j < len && data[j].is_ascii_digit() {
                        j += 1;
                    }
                    let v = *r.pick(&[
                        &b"0"[..],
                        b"9223372036854775807",
                        b"100000000000",
                        b"4294967296",
                        b"1000000",
                        b"140737488355328",
                    ]);
                    data.splice(i..j, v.iter().copied());
                }
            }
            _ => {
                // Swap two lines of the same file.
                let mut lines: Vec<Vec<u8>> =
                    data.split(|&b| b == b'\n').map(|l| l.to_vec()).collect();
                if lines.len() > 1 {
                    let a = r.below(lines.len() as u64) as usize;
                    let b = r.below(lines.len() as u64) as usize;
                    lines.swap(a, b);
                    data = lines.join(&b'\n');
                }
            }
        }
    }
    data
}

/// Which target the driver runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    LexParse,
    Check,
    CompileVerify,
    RunInterp,
    /// `run_interp` under `--jit=always`.
    RunJit,
}

impl Target {
    pub fn from_name(s: &str) -> Option<Target> {
        Some(match s {
            "lex_parse" => Target::LexParse,
            "check" => Target::Check,
            "compile_verify" => Target::CompileVerify,
            "run_interp" => Target::RunInterp,
            "run_jit" => Target::RunJit,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Target::LexParse => "lex_parse",
            Target::Check => "check",
            Target::CompileVerify => "compile_verify",
            Target::RunInterp => "run_interp",
            Target::RunJit => "run_jit",
        }
    }
}

thread_local! {
    /// Set while a target runs under `catch_unwind`: its panics are reported, not printed.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the panic hook once per process so that caught target panics stay silent while
/// every other panic (on any thread) is printed as usual.
fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                prev(info);
            }
        }));
    });
}

/// Counts from one driver session.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub executions: u64,
    /// Inputs that reached the verifier (compile_verify) or exited normally (run_interp).
    pub deep: u64,
    pub timeouts: u64,
    /// `(input file written, description)` of each failure.
    pub failures: Vec<(PathBuf, String)>,
}

/// Runs `target` over the corpus, then over mutations starting at `seed`, until `budget`
/// has passed or `max_execs` inputs ran. Failing inputs are written to `failure_dir`.
/// `bin` is the `mochi` binary (needed by `RunInterp` and `RunJit` only).
pub fn drive(
    target: Target,
    seed: u64,
    budget: Duration,
    max_execs: u64,
    failure_dir: &Path,
    bin: Option<&Path>,
) -> Report {
    let corpus: Vec<Vec<u8>> = seed_corpus().into_iter().map(|(_, b)| b).collect();
    assert!(!corpus.is_empty(), "no seed corpus found");
    let start = Instant::now();
    let mut report = Report::default();
    let scratch = std::env::temp_dir().join(format!(
        "mochi-fuzz-{}-{}-{}",
        target.name(),
        std::process::id(),
        seed
    ));
    let _ = std::fs::create_dir_all(&scratch);
    install_quiet_hook();
    let mut i: u64 = 0;
    while start.elapsed() < budget && report.executions < max_execs {
        let data = if (i as usize) < corpus.len() {
            corpus[i as usize].clone()
        } else {
            mutate(&corpus, seed.wrapping_add(i))
        };
        i += 1;
        report.executions += 1;
        let failure = match target {
            Target::RunInterp | Target::RunJit => {
                let bin = bin.expect("running targets need the mochi binary");
                let tier = if target == Target::RunJit {
                    "--jit=always"
                } else {
                    "--jit=off"
                };
                let file = scratch.join("input.mochi");
                std::fs::File::create(&file)
                    .and_then(|mut f| f.write_all(&data))
                    .expect("write scratch input");
                let o = run_binary(
                    bin,
                    &[tier, "--max-heap", "64M"],
                    &[],
                    &file,
                    Duration::from_secs(3),
                );
                if o.timed_out {
                    report.timeouts += 1;
                } else if o.code == Some(0) {
                    report.deep += 1;
                }
                classify_run(&o).err()
            }
            _ => {
                QUIET.with(|q| q.set(true));
                let r = std::panic::catch_unwind(|| match target {
                    Target::LexParse => {
                        lex_parse(&data);
                        false
                    }
                    Target::Check => {
                        check(&data);
                        false
                    }
                    _ => compile_verify(&data),
                });
                QUIET.with(|q| q.set(false));
                match r {
                    Ok(deep) => {
                        report.deep += deep as u64;
                        None
                    }
                    Err(p) => Some(
                        p.downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_else(|| "panic".into()),
                    ),
                }
            }
        };
        if let Some(msg) = failure {
            let _ = std::fs::create_dir_all(failure_dir);
            let path = failure_dir.join(format!(
                "{}-{}.mochi",
                target.name(),
                seed.wrapping_add(i - 1)
            ));
            let _ = std::fs::write(&path, &data);
            report.failures.push((path, msg));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    report
}

/// `target/<profile>` of the running executable (a test in `target/<profile>/deps` or a
/// binary in `target/<profile>`).
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().expect("exe dir");
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir.parent().expect("profile dir").to_path_buf()
    } else {
        dir.to_path_buf()
    }
}

/// The `mochi` binary: `MOCHI_BIN` if set, else built now with `cargo build -p mochi-cli`
/// into the running executable's target directory and profile.
pub fn mochi_binary() -> PathBuf {
    if let Ok(p) = std::env::var("MOCHI_BIN") {
        return PathBuf::from(p);
    }
    let dir = profile_dir();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root)
        .args(["build", "-p", "mochi-cli", "--bin", "mochi"])
        .env(
            "CARGO_TARGET_DIR",
            dir.parent().expect("target dir").as_os_str(),
        );
    if dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build -p mochi-cli");
    assert!(status.success(), "cargo build -p mochi-cli failed");
    let bin = dir.join(format!("mochi{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "no mochi binary at {}", bin.display());
    bin
}
