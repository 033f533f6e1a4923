//! Golden outputs of `mochi dis` (bless with `MOCHI_BLESS=1`) and a structural check of
//! `mochi asm` (its bytes hold run-time addresses, so it is not compared byte for byte).

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn mochi(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mochi"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run mochi");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn dis_matches_golden() {
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("tests/golden"))
        .unwrap()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "mochi") {
            continue;
        }
        let rel = path
            .strip_prefix(root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let got = mochi(&["dis", &rel]);
        let golden = path.with_extension("dis");
        if std::env::var("MOCHI_BLESS").is_ok_and(|v| v == "1") {
            std::fs::write(&golden, &got).unwrap();
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        assert_eq!(
            got, want,
            "{rel}: `mochi dis` changed; review and rerun with MOCHI_BLESS=1"
        );
        checked += 1;
    }
    assert!(checked > 0, "no golden programs found");
}

#[test]
fn asm_marks_ops_and_stencils() {
    if !mochi_jit::available() {
        return;
    }
    let text = mochi(&["asm", "tests/golden/dis_sample.mochi"]);
    for needle in [
        "fn 1 fib:",
        "LtI64ImmJumpIfFalse",
        "stencil lt_i64_imm_jump_if_false",
        "stencil call",
        "stencil call_resume",
        "stencil return",
        "(line 2)",
    ] {
        assert!(
            text.contains(needle),
            "`mochi asm` lacks {needle:?}:\n{text}"
        );
    }
}

#[test]
fn asm_target_lists_other_targets_code() {
    for (target, needles) in [
        ("aarch64-linux", &["ldp x", "movk x", "b.hs"][..]),
        ("riscv64-linux", &["# auipc", "# jalr", "# compressed"][..]),
        ("x86_64-windows", &["mov rax,"][..]),
    ] {
        let text = mochi(&["asm", "--target", target, "tests/golden/dis_sample.mochi"]);
        assert!(text.contains("; target "), "{target}:\n{text}");
        for needle in [
            "fn 1 fib:",
            "stencil lt_i64_imm_jump_if_false",
            "stencil call_resume",
            "(line 2)",
        ]
        .iter()
        .chain(needles)
        {
            assert!(
                text.contains(needle),
                "`mochi asm --target {target}` lacks {needle:?}:\n{text}"
            );
        }
    }
}
