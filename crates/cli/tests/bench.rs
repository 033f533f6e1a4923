//! `bench "name" { ... }` blocks (LANGUAGE.md §19.2), in every execution mode. Their numbers
//! differ from run to run, so instead of a `.out` file these tests check the report's shape:
//! the `json()` layout with the keys `duration_us`, `memory_bytes` (non-negative ints) and
//! `name` (a JSON string), after the body's own output; and that leaving the body by
//! `return`, `continue` or a runtime error skips the report.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Runs `src` in every mode; returns `(mode, stdout, stderr, exit code)` per mode.
fn run_everywhere(name: &str, src: &str) -> Vec<(&'static str, String, String, Option<i32>)> {
    let dir = std::env::temp_dir().join(format!("mochi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, src).unwrap();
    common::MODES
        .iter()
        .map(|(label, args, env)| {
            let out = Command::new(env!("CARGO_BIN_EXE_mochi"))
                .arg("run")
                .args(*args)
                .arg(&path)
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .output()
                .expect("run mochi");
            (
                *label,
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
                out.status.code(),
            )
        })
        .collect()
}

/// A report parsed back: (duration_us, memory_bytes, name as written in JSON).
#[derive(Debug)]
struct Report {
    duration_us: u64,
    memory_bytes: u64,
    name_json: String,
}

/// Splits stdout into plain lines and reports, checking each report's exact layout.
fn parse(stdout: &str) -> (Vec<String>, Vec<Report>) {
    let mut plain = Vec::new();
    let mut reports = Vec::new();
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        if line != "{" {
            plain.push(line.to_string());
            continue;
        }
        let mut field = |key: &str| {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("report cut short:\n{stdout}"));
            let rest = line
                .strip_prefix(&format!("  \"{key}\": "))
                .unwrap_or_else(|| panic!("expected key {key:?}, found {line:?}"));
            rest.to_string()
        };
        let int = |text: String| -> u64 {
            let digits = text.strip_suffix(',').unwrap_or_else(|| panic!("{text:?}"));
            digits
                .parse()
                .unwrap_or_else(|_| panic!("not a non-negative int: {digits:?}"))
        };
        let duration_us = int(field("duration_us"));
        let memory_bytes = int(field("memory_bytes"));
        let name_json = field("name");
        assert!(
            name_json.starts_with('"') && name_json.ends_with('"') && name_json.len() >= 2,
            "name is not a JSON string: {name_json}"
        );
        assert_eq!(lines.next(), Some("}"), "report not closed:\n{stdout}");
        reports.push(Report {
            duration_us,
            memory_bytes,
            name_json,
        });
    }
    (plain, reports)
}

#[test]
fn reports_follow_the_body_output_in_every_mode() {
    let src = r#"print("before")
bench "build" {
  var xs: list<string> = []
  for i in 0..2000 {
    xs = append(xs, str(i))
  }
  print(len(xs))
}
print("after")
bench "quoted \"name\" <&>" {
  let x = 1
}
"#;
    for (mode, out, err, code) in run_everywhere("shape.mochi", src) {
        assert_eq!(code, Some(0), "[{mode}] {err}");
        let (plain, reports) = parse(&out);
        assert_eq!(plain, ["before", "2000", "after"], "[{mode}] {out}");
        assert_eq!(reports.len(), 2, "[{mode}] {out}");
        assert_eq!(reports[0].name_json, "\"build\"");
        // JSON-escaped as `json()` escapes (Go's HTML-safe encoding).
        assert_eq!(
            reports[1].name_json,
            "\"quoted \\\"name\\\" \\u003c\\u0026\\u003e\""
        );
        // 2000 strings were allocated in the first body: at least their headers.
        assert!(reports[0].memory_bytes >= 2000 * 16, "[{mode}] {reports:?}");
        // The report follows the body's output: "2000" precedes the first `{`.
        let first_brace = out.find("{\n").unwrap();
        assert!(out[..first_brace].ends_with("2000\n"), "[{mode}] {out}");
        // Microseconds of a body that takes milliseconds: far below a minute.
        assert!(reports[0].duration_us < 60_000_000, "[{mode}] {reports:?}");
    }
}

#[test]
fn leaving_the_body_skips_the_report() {
    let src = r#"fun f(): int {
  bench "inner" {
    return 1
  }
  return 2
}
print(f())
for i in 0..2 {
  bench "loop" {
    if i == 0 {
      continue
    }
    print("body", i)
  }
}
"#;
    for (mode, out, err, code) in run_everywhere("leave.mochi", src) {
        assert_eq!(code, Some(0), "[{mode}] {err}");
        let (plain, reports) = parse(&out);
        assert_eq!(plain, ["1", "body 1"], "[{mode}] {out}");
        assert_eq!(reports.len(), 1, "[{mode}] {out}");
        assert_eq!(reports[0].name_json, "\"loop\"");
    }
}

#[test]
fn a_runtime_error_in_the_body_skips_the_report() {
    let src = "bench \"fails\" {\n  print(\"in\")\n  let z = 0\n  print(1 / z)\n}\n";
    for (mode, out, err, code) in run_everywhere("fails.mochi", src) {
        assert_eq!(code, Some(1), "[{mode}] {err}");
        assert_eq!(out, "in\n", "[{mode}]");
        assert!(err.contains("division by zero"), "[{mode}] {err}");
    }
}
