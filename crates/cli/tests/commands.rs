//! The subcommands other than `run`: `test`, `check`, `--version`, `repl` on piped input; and
//! `run --gc-stats`.

use std::io::Write;
use std::process::{Command, Stdio};

fn scratch(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mochi-commands-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn mochi(args: &[&str], stdin: &str) -> (String, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mochi"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mochi");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn test_command_reports_each_block() {
    let path = scratch(
        "blocks.mochi",
        "fun add(a: int, b: int): int { return a + b }\n\
         test \"addition\" {\n  expect add(1, 2) == 3\n}\n\
         test \"broken\" {\n  expect add(1, 1) == 3\n}\n\
         print(\"body\")\n",
    );
    for tier in ["--jit=off", "--jit=on"] {
        let (out, err, code) = mochi(&["test", tier, path.to_str().unwrap()], "");
        assert_eq!(code, Some(1), "{tier}: {err}");
        assert!(out.starts_with("body\n"), "{tier}: {out}");
        assert!(out.contains("   test addition ... ok"), "{tier}: {out}");
        assert!(out.contains("   test broken ... FAILED"), "{tier}: {out}");
        assert!(out.contains("1 passed, 1 failed"), "{tier}: {out}");
        assert!(
            err.contains("expect condition failed") && err.contains(":6:3"),
            "{err}"
        );
    }
}

#[test]
fn check_exit_codes() {
    let good = scratch("good.mochi", "print(1 + 2)\n");
    let bad = scratch("bad.mochi", "print(undefined_name)\n");
    let (out, _, code) = mochi(&["check", good.to_str().unwrap()], "");
    assert_eq!((out.as_str(), code), ("", Some(0)));
    let (_, err, code) = mochi(&["check", bad.to_str().unwrap()], "");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("T001") && err.contains("bad.mochi:1:7"),
        "{err}"
    );
    let (_, err, code) = mochi(&["run", "/nonexistent/file.mochi"], "");
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn version_and_help() {
    let (out, _, code) = mochi(&["--version"], "");
    assert_eq!(code, Some(0));
    assert!(out.starts_with("mochi "), "{out}");
    let (out, _, code) = mochi(&["--help"], "");
    assert_eq!(code, Some(0));
    for sub in ["run", "check", "dis", "asm", "test", "repl"] {
        assert!(out.contains(sub), "--help lacks {sub}: {out}");
    }
}

#[test]
fn repl_keeps_definitions_between_lines() {
    let (out, err, code) = mochi(
        &["repl"],
        "let x = 5\nfun sq(n: int): int { return n * n }\nsq(x)\nprint(x + 1)\nnope\n",
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("25\n6\n"), "{out}");
    assert!(err.contains("undefined name `nope`"), "{err}");
}

/// `run --gc-stats` prints one `gc_KEY: N` line per figure on stderr, in every tier, and the
/// figures hang together: an allocation-heavy program (well past the first collection
/// threshold) collects, frees and keeps objects, and its live heap stays below what it
/// allocated. No timing is asserted, only that the pause figures are consistent. (`kept`
/// mentions `keep`, so `keep` stays a global, whose appends build a new list object each:
/// as a local of the program body it would grow in place and collect later.)
#[test]
fn gc_stats_reports_collections() {
    let path = scratch(
        "gc.mochi",
        "var keep: list<string> = []\n\
         for i in 0..300000 {\n  let s = \"item \" + str(i)\n  if i % 3 == 0 {\n    keep = append(keep, s)\n  }\n}\n\
         print(kept())\n\
         fun kept(): int {\n  return len(keep)\n}\n",
    );
    for tier in ["--jit=off", "--jit=on", "--jit=opt"] {
        let (out, err, code) = mochi(&["run", "--gc-stats", tier, path.to_str().unwrap()], "");
        assert_eq!(code, Some(0), "{tier}: {err}");
        assert_eq!(out, "100000\n", "{tier}");
        let stat = |key: &str| -> u64 {
            err.lines()
                .find_map(|l| l.strip_prefix(&format!("{key}: ")))
                .unwrap_or_else(|| panic!("{tier}: no {key} in {err}"))
                .parse()
                .unwrap()
        };
        assert!(stat("gc_collections") > 0, "{tier}: {err}");
        assert!(stat("gc_freed_objects") > 0, "{tier}: {err}");
        assert!(stat("gc_marked_objects") >= 100_000, "{tier}: {err}");
        assert!(
            stat("gc_max_pause_ns") <= stat("gc_total_ns"),
            "{tier}: {err}"
        );
        assert!(
            stat("gc_live_bytes") <= stat("gc_peak_live_bytes"),
            "{tier}: {err}"
        );
        assert!(
            stat("gc_peak_live_bytes") < stat("gc_allocated_bytes"),
            "{tier}: {err}"
        );
    }
    // Without the flag, nothing is printed.
    let (_, err, code) = mochi(&["run", path.to_str().unwrap()], "");
    assert_eq!(code, Some(0));
    assert!(!err.contains("gc_"), "{err}");
}

/// `tests/programs/owned_append.mochi` names its functions by what `compiler/owned.rs` must
/// decide: `owned_*` append in place (`AppendOwned`, never disowned after entry),
/// `shared_*` share their list, so each either appends plainly (a captured local) or clears
/// the owner slot of its `AppendOwned` where the list is shared (a `LoadNone` of that slot
/// besides the one at entry). The program's output, checked in every mode by
/// `programs.rs`, shows that the shared lists stay intact.
#[test]
fn dis_shows_which_appends_run_in_place() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/programs/owned_append.mochi"
    );
    let (out, err, code) = mochi(&["dis", path], "");
    assert_eq!(code, Some(0), "{err}");
    let mut checked = 0;
    for section in out.split("\nfn ").skip(1) {
        let name = section.split_whitespace().nth(1).unwrap_or_default();
        let owned = section.contains("AppendOwned");
        let plain = section.lines().any(|l| l.contains(" Append "));
        // The owner slots of the section's `AppendOwned`s, and how often each is cleared.
        let owners: Vec<&str> = (section.lines())
            .filter_map(|l| l.split("owner=").nth(1))
            .map(str::trim)
            .collect();
        let clears = |owner: &str| {
            let dst = format!("dst={owner}");
            (section.lines())
                .filter(|l| l.contains("LoadNone") && l.split_whitespace().any(|w| w == dst))
                .count()
        };
        if name.starts_with("owned_") {
            assert!(owned && !plain, "{name} should append in place:\n{section}");
            assert!(
                owners.iter().all(|o| clears(o) == 1),
                "{name} must never disown its list:\n{section}"
            );
            checked += 1;
        } else if name.starts_with("shared_") {
            let disowned = owned && owners.iter().all(|o| clears(o) >= 2);
            assert!(
                (plain && !owned) || disowned,
                "{name} must not append in place to a shared list:\n{section}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 11, "every owned_/shared_ function was found");
}
