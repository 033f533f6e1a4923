//! GDB on stitched code (`--debug-info`): a source-line breakpoint resolves through the JIT
//! interface, GDB names the Mochi function and line, unwinds back to Rust, and the
//! `mochi-bt` extension (tools/gdb/mochi.py) prints the Mochi call stack. Also the perf
//! jitdump (`--perf-jitdump`), parsed back. The GDB tests are skipped (with a note) where
//! gdb is missing; CI installs it (.ci/run).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn program() -> PathBuf {
    repo().join("tests/debugger/calls.mochi")
}

fn have_gdb() -> bool {
    let ok = Command::new("gdb")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: gdb not found; skipping (CI installs it)");
    }
    ok
}

/// Runs `gdb -batch` with `commands` on `mochi run --jit=always --debug-info calls.mochi`.
/// None (with a note) where the sandbox forbids ptrace, so GDB cannot run anything at all.
fn gdb(commands: &[&str]) -> Option<String> {
    let mut cmd = Command::new("gdb");
    cmd.args(["-q", "-batch", "-nx"]);
    for c in commands {
        cmd.args(["-ex", c]);
    }
    cmd.arg("--args")
        .arg(env!("CARGO_BIN_EXE_mochi"))
        .args(["run", "--jit=always", "--debug-info"])
        .arg(program());
    let out = cmd.output().expect("gdb runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    println!("{text}");
    if text.contains("ptrace: Operation not permitted") {
        eprintln!("note: ptrace is not permitted here; skipping");
        return None;
    }
    Some(text)
}

#[test]
fn gdb_breaks_on_a_mochi_line_and_names_the_function() {
    if !have_gdb() || !mochi_jit::available() {
        return;
    }
    let Some(out) = gdb(&[
        "set breakpoint pending on",
        "break calls.mochi:3",
        "run",
        "info symbol $pc",
        "bt",
        "kill",
    ]) else {
        return;
    };
    // Stopped in g, at line 3 of the Mochi file.
    assert!(out.contains("hit Breakpoint 1, g () at"), "{out}");
    assert!(out.contains("calls.mochi:3"), "{out}");
    assert!(out.contains("return y + 1"), "{out}");
    // `info symbol $pc` names the Mochi function (in the JIT's in-memory object).
    assert!(out.contains("g + ") && out.contains("in-memory"), "{out}");
    // The unwind info leads out of stitched code, through the entry shim, to Rust.
    assert!(out.contains("mochi_jit_shims"), "{out}");
    assert!(out.contains("mochi_jit::enter::call"), "{out}");
}

#[test]
fn mochi_bt_prints_the_mochi_call_stack() {
    if !have_gdb() || !mochi_jit::available() {
        return;
    }
    let script = repo().join("tools/gdb/mochi.py");
    let Some(out) = gdb(&[
        "set breakpoint pending on",
        &format!("source {}", script.display()),
        "break calls.mochi:3",
        "run",
        "mochi-bt",
        "kill",
    ]) else {
        return;
    };
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with('#')).collect();
    let frames: Vec<String> = lines
        .iter()
        .filter(|l| l.contains(" at ") && l.contains("calls.mochi:"))
        .map(|l| {
            let (_, rest) = l.split_once("  ").expect("#N  name at file:line");
            let (name, at) = rest.split_once(" at ").expect("name at file:line");
            let line = at.rsplit(':').next().expect("line");
            format!("{name}:{line}")
        })
        .collect();
    assert_eq!(frames, ["g:3", "f:9", "<main>:14"], "{out}");
}

/// Reads a native-endian u32/u64 at `at`.
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_ne_bytes(b[at..at + 8].try_into().unwrap())
}
fn cstr_at(b: &[u8], at: usize) -> (String, usize) {
    let end = at + b[at..].iter().position(|&c| c == 0).expect("NUL");
    (String::from_utf8_lossy(&b[at..end]).into_owned(), end + 1)
}

#[test]
fn perf_jitdump_records_functions_with_their_lines() {
    if !mochi_jit::available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("mochi-jitdump-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mochi"))
        .args(["run", "--jit=always", "--perf-jitdump"])
        .arg(program())
        .env("MOCHI_JITDUMP_DIR", &dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "9\n");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("jit-"))
        .expect("a jit-PID.dump file");
    let b = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    // Header: magic "JiTD", version 1, header size 40, EM_X86_64 / EM_AARCH64.
    assert_eq!(u32_at(&b, 0), 0x4A69_5444);
    assert_eq!(u32_at(&b, 4), 1);
    assert_eq!(u32_at(&b, 8), 40);
    let mut at = 40;
    let mut loads = Vec::new();
    let mut debug: Vec<(u64, Vec<u32>)> = Vec::new();
    while at < b.len() {
        let (id, size) = (u32_at(&b, at), u32_at(&b, at + 4) as usize);
        let body = at + 16;
        match id {
            0 => {
                let code_addr = u64_at(&b, body + 16);
                let code_size = u64_at(&b, body + 24);
                let (name, code_at) = cstr_at(&b, body + 40);
                assert_eq!(
                    code_at + code_size as usize,
                    at + size,
                    "code fills the record"
                );
                loads.push((name, code_addr, code_size));
            }
            2 => {
                let addr = u64_at(&b, body);
                let n = u64_at(&b, body + 8) as usize;
                let mut e = body + 16;
                let mut lines = Vec::new();
                for _ in 0..n {
                    lines.push(u32_at(&b, e + 8));
                    let (file, next) = cstr_at(&b, e + 16);
                    assert!(file.ends_with("calls.mochi"), "{file}");
                    e = next;
                }
                assert_eq!(e, at + size, "entries fill the record");
                debug.push((addr, lines));
            }
            other => panic!("unexpected record {other}"),
        }
        at += size;
    }
    let names: Vec<&str> = loads.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(names, ["mochi::<main>", "mochi::g", "mochi::f"]);
    assert!(loads.iter().all(|l| l.2 > 0));
    // Each function's line table precedes its code and starts at its address.
    let lines_of = |addr| &debug.iter().find(|d| d.0 == addr).expect("debug info").1;
    assert_eq!(lines_of(loads[1].1), &vec![2, 3], "g: lines 2 and 3");
    assert_eq!(lines_of(loads[2].1)[0], 7, "f starts at line 7");
    assert!(lines_of(loads[2].1).contains(&9));
    assert_eq!(lines_of(loads[0].1), &vec![14]);
}
