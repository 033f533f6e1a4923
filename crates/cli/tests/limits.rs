//! Resource limits and fault behaviour of the `mochi` binary: running out of heap, too deep
//! recursion, absurd allocation requests, very large sources and lists. Every failure must
//! be a clear message on stderr with exit status 1 (2 for programs rejected before running),
//! never a signal, an abort or a Rust panic (exit 101).
//!
//! Each program runs under `--jit=off` and under the default tier.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The tiers every limit must hold in.
const TIERS: &[&[&str]] = &[&["--jit=off"], &[]];

struct Outcome {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mochi-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .expect("write program");
    path
}

fn run(args: &[&str], file: &PathBuf, limit: Duration) -> Outcome {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mochi"))
        .arg("run")
        .args(args)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mochi");
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{} timed out after {limit:?}", file.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("output");
    Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

/// Runs `text` in every tier with `extra` flags and checks a runtime error mentioning
/// `message` on the first stderr line, with a source location, and exit status 1.
fn expect_runtime_error(name: &str, text: &str, extra: &[&str], message: &str) {
    let file = scratch(name, text);
    for tier in TIERS {
        let args: Vec<&str> = tier.iter().chain(extra).copied().collect();
        let o = run(&args, &file, Duration::from_secs(120));
        let first = o.stderr.lines().next().unwrap_or("");
        assert_eq!(
            o.code,
            Some(1),
            "{name} {args:?}: exit {:?}, stderr:\n{}",
            o.code,
            o.stderr
        );
        assert!(
            first.starts_with("runtime error: ") && first.contains(message),
            "{name} {args:?}: expected `{message}`, stderr:\n{}",
            o.stderr
        );
        assert!(
            o.stderr.contains(&format!("{name}:")),
            "{name} {args:?}: no location in stderr:\n{}",
            o.stderr
        );
    }
}

#[test]
fn huge_list_runs_out_of_memory() {
    let text =
        "var xs = [1, 2, 3, 4, 5, 6, 7, 8]\nprint(\"start\")\nwhile true {\n  xs = xs + xs\n}\n";
    expect_runtime_error(
        "huge_list.mochi",
        text,
        &["--max-heap", "64M"],
        "out of memory",
    );
}

#[test]
fn list_grown_in_place_runs_out_of_memory() {
    let text = "var xs: list<list<int>> = []\nwhile true {\n  xs[len(xs)] = [len(xs)]\n}\n";
    expect_runtime_error("grown.mochi", text, &["--max-heap", "16M"], "out of memory");
}

#[test]
fn huge_map_and_string_run_out_of_memory() {
    let map =
        "var m: map<int, string> = {}\nvar i = 0\nwhile true {\n  m[i] = str(i)\n  i = i + 1\n}\n";
    expect_runtime_error("map.mochi", map, &["--max-heap", "16M"], "out of memory");
    let s = "var s = \"ab\"\nwhile true {\n  s = s + s\n}\n";
    expect_runtime_error("string.mochi", s, &["--max-heap", "16M"], "out of memory");
    let big = "var x = 3\nwhile true {\n  x = x * x\n}\n";
    expect_runtime_error("bigint.mochi", big, &["--max-heap", "4M"], "out of memory");
}

#[test]
fn absurd_allocations_are_out_of_memory() {
    let cases: &[(&str, &str)] = &[
        (
            "repeat_str.mochi",
            "print(len(repeat(\"x\", 1000000000000)))\n",
        ),
        (
            "repeat_list.mochi",
            "print(len(repeat([1, 2], 1000000000000)))\n",
        ),
        (
            "index_write.mochi",
            "var xs = [1]\nxs[100000000000] = 1\nprint(len(xs))\n",
        ),
        (
            "index_write_max.mochi",
            "var xs = [1]\nxs[9223372036854775807] = 1\nprint(len(xs))\n",
        ),
        (
            "pad.mochi",
            "print(len(padStart(\"x\", 1000000000000, \"ab\")))\n",
        ),
        ("pow.mochi", "print(pow(3, 100000000000))\n"),
    ];
    for (name, text) in cases {
        expect_runtime_error(name, text, &[], "out of memory");
    }
}

#[test]
fn deep_recursion_is_a_stack_overflow() {
    let text = "fun f(n: int): int {\n  return f(n + 1) + 1\n}\nprint(\"start\")\nprint(f(0))\n";
    expect_runtime_error("deep.mochi", text, &[], "stack overflow");
}

#[test]
fn absurd_nesting_is_a_diagnostic() {
    let parens = format!("print({}1{})\n", "(".repeat(100_000), ")".repeat(100_000));
    let ifs = format!(
        "var x = 0\n{}x = 1\n{}print(x)\n",
        "if true {\n".repeat(20_000),
        "}\n".repeat(20_000)
    );
    for (name, text) in [("parens.mochi", parens), ("ifs.mochi", ifs)] {
        let file = scratch(name, &text);
        let o = run(&["--jit=off"], &file, Duration::from_secs(60));
        assert_eq!(o.code, Some(2), "{name}: stderr:\n{}", o.stderr);
        assert!(o.stderr.contains("P030"), "{name}: stderr:\n{}", o.stderr);
    }
}

#[test]
fn deeply_nested_values_print_and_compare() {
    // Printing, `str` and `==` recurse natively over nested values; a 200,000-node linked
    // list aborted with a native stack overflow (exit 134) on the 8 MiB main thread. Not a
    // tests/programs case: GC stress makes building it quadratic.
    let text = "type Node { val: int, next: any }\n\
        fun build(n: int): any {\n  var head: any = none\n  for i in 0..n { head = Node { val: i, next: head } }\n  return head\n}\n\
        let a = build(200000)\nlet b = build(200000)\nlet s = str(a)\nprint(len(s), substring(s, 0, 24))\nprint(a == b)\n\
        var nest: any = []\nfor i in 0..200000 { nest = [nest] }\nlet p = str(nest)\nprint(len(p), [nest] == [nest])\n";
    let file = scratch("deepvalues.mochi", text);
    for tier in TIERS {
        let o = run(tier, &file, Duration::from_secs(120));
        assert_eq!(o.code, Some(0), "{tier:?}: stderr:\n{}", o.stderr);
        assert_eq!(
            o.stdout, "6488895 map[__name:Node next:map\ntrue\n400002 true\n",
            "{tier:?}"
        );
    }
}

#[test]
fn one_megabyte_source_runs() {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!(
            "fun f{n}(a: int): int {{\n  var s = \"line {n}\"\n  return a * {} + len(s)\n}}\nvar v{n} = f{n}({n})\n",
            n % 97
        ));
        n += 1;
    }
    let last = n - 1;
    text.push_str(&format!(
        "print(v0 + v{last})\nprint(\"{} functions\")\n",
        n
    ));
    let expected = 6 + last * (last % 97) + format!("line {last}").len();
    let file = scratch("onemb.mochi", &text);
    for tier in TIERS {
        let o = run(tier, &file, Duration::from_secs(120));
        assert_eq!(o.code, Some(0), "{tier:?}: stderr:\n{}", o.stderr);
        assert_eq!(o.stdout, format!("{expected}\n{n} functions\n"), "{tier:?}");
    }
}

#[test]
fn ten_million_element_list() {
    // About 0.5 s in a debug build.
    let text = "var xs: list<int> = []\nfor i in 0..10000000 {\n  xs[len(xs)] = i\n}\nvar total = 0\nfor x in xs {\n  total = total + x\n}\nprint(len(xs), xs[9999999], total)\n";
    let file = scratch("tenmillion.mochi", text);
    for tier in TIERS {
        let o = run(tier, &file, Duration::from_secs(120));
        assert_eq!(o.code, Some(0), "{tier:?}: stderr:\n{}", o.stderr);
        assert_eq!(o.stdout, "10000000 9999999 49999995000000\n", "{tier:?}");
    }
}

#[test]
fn bad_max_heap_flag_is_a_usage_error() {
    let file = scratch("hello.mochi", "print(1)\n");
    let o = run(&["--max-heap", "lots"], &file, Duration::from_secs(30));
    assert_eq!(o.code, Some(2), "stderr:\n{}", o.stderr);
    let o = run(&["--max-heap", "1K"], &file, Duration::from_secs(30));
    assert!(
        o.code == Some(0) || (o.code == Some(1) && o.stderr.contains("out of memory")),
        "tiny heap: exit {:?}, stderr:\n{}",
        o.code,
        o.stderr
    );
}

#[test]
fn oversized_program_is_a_limit_error() {
    let path = scratch("oversized.mochi", &"print(1)\n".repeat(200));
    let out = Command::new(env!("CARGO_BIN_EXE_mochi"))
        .args(["run", path.to_str().unwrap()])
        .env("MOCHI_MAX_SOURCE_BYTES", "1000")
        .output()
        .expect("run mochi");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("programs are limited to 1000 bytes"), "{err}");
}

/// Runs `mochi run [mode] FILE` with stdout or stderr writing to `/dev/full` (every write
/// fails with "no space left").
fn run_into_full(mode: &[&str], file: &PathBuf, full_stdout: bool) -> (String, Option<i32>) {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    let (Ok(a), Ok(b)) = (full(), full()) else {
        return (String::new(), Some(-1));
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mochi"));
    cmd.arg("run").args(mode).arg(file).stdin(Stdio::null());
    if full_stdout {
        cmd.stdout(Stdio::from(a)).stderr(Stdio::piped());
        drop(b);
    } else {
        cmd.stdout(Stdio::null()).stderr(Stdio::from(b));
        drop(a);
    }
    let out = cmd.output().expect("spawn mochi");
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn output_that_cannot_be_written_is_an_error_not_a_panic() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let small = scratch("full_stdout.mochi", "print(1)\n");
    let failing = scratch("full_stderr.mochi", "print(1 / 0)\n");
    let rejected = scratch("full_stderr_parse.mochi", "print(\n");
    for mode in [&["--jit=off"][..], &["--jit=always"], &["--jit=opt"], &[]] {
        // The program's last write (the final flush) fails: reported, status 1.
        let (err, code) = run_into_full(mode, &small, true);
        assert_eq!(code, Some(1), "{mode:?}: {err}");
        assert!(
            err.contains("runtime error: write error"),
            "{mode:?}: {err}"
        );
        // The report itself cannot be written: the status stays the error's own.
        assert_eq!(run_into_full(mode, &failing, false).1, Some(1), "{mode:?}");
        assert_eq!(run_into_full(mode, &rejected, false).1, Some(2), "{mode:?}");
    }
}
