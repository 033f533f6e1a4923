//! Every bytecode op has a stencil in every committed table, every hole a stencil uses is
//! one the JIT knows how to fill, and every stencil source has been built into the tables.

use std::fmt::Write;

use mochi_bytecode::OpCode;
use mochi_jit::{GENERIC_STENCIL, Stencils, holes, stencil_name, tables};

/// Every op has its own stencil or shares the generic one (ops without a fast path); which
/// ops are generic is the same in every table and pinned by a golden list.
#[test]
fn every_op_has_a_stencil_in_every_table() {
    let mut generic_ops = None;
    for table in tables::all() {
        Stencils::new(table).unwrap_or_else(|e| panic!("{}: {e}", table.target));
        assert!(table.stencil(GENERIC_STENCIL).is_some(), "{}", table.target);
        let generic: String = OpCode::ALL
            .iter()
            .filter(|code| table.stencil(&stencil_name(**code)).is_none())
            .map(|code| format!("{}\n", code.name()))
            .collect();
        match &generic_ops {
            None => generic_ops = Some(generic),
            Some(first) => assert_eq!(first, &generic, "{}", table.target),
        }
    }
    check_golden(
        "tests/golden/generic_ops.txt",
        &generic_ops.expect("at least one table"),
    );
}

/// Each source's stencils (the plain one and its `// cnp-variants:`) are in every table.
#[test]
fn every_stencil_source_is_in_the_tables() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/stencils/ops");
    let mut names: Vec<String> = cnp_build::read_dir_files(dir.as_ref(), "c")
        .expect("read stencil dir")
        .iter()
        .flat_map(|(file, text)| cnp_build::variants(file.trim_end_matches(".c"), text))
        .map(|variant| variant.name)
        .collect();
    names.sort();
    for table in tables::all() {
        let in_table: Vec<&str> = table.stencils.iter().map(|s| s.name).collect();
        assert_eq!(in_table, names, "{}: regenerate the tables", table.target);
    }
}

#[test]
fn hole_symbols_are_all_understood() {
    for table in tables::all() {
        for sym in table.symbols {
            let cold = sym
                .strip_prefix("_JIT_COLD")
                .is_some_and(|n| n.parse::<u32>().is_ok());
            let known = cold
                || sym.starts_with("_JIT_HELPER_")
                || ["_JIT_TARGET", "_JIT_ERROR"].contains(sym)
                || holes::find(sym).is_some();
            assert!(known, "{}: unexpected hole symbol {sym}", table.target);
        }
    }
}

/// Compares `actual` with the committed file `rel` (under the crate), or rewrites it with
/// `MOCHI_BLESS=1`.
fn check_golden(rel: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var("MOCHI_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{rel} differs from what the code generates; review and rerun with MOCHI_BLESS=1\n\
         --- generated ---\n{actual}"
    );
}

/// The hole half of the stencil header is generated from the op table (`holes.rs`); the
/// committed `stencils/holes.h` must be what the generator writes today.
#[test]
fn holes_header_is_generated_from_the_op_table() {
    check_golden("stencils/holes.h", &holes::header());
}

/// Per target, exactly which stencils keep a patched jump to their continuation instead of
/// falling through to the next stencil (cnp-build decides from the code; keeping is correct
/// but costs a jump per executed op). A change in clang's layout, a stencil or cnp-build
/// shows up here.
#[test]
fn kept_continuations_per_target() {
    let mut out = String::new();
    for table in tables::all() {
        let kept: Vec<&str> = table
            .stencils
            .iter()
            .filter(|s| {
                s.elidable_tail.is_none()
                    && s.holes.iter().any(|h| h.value == cnp::HoleValue::Continue)
            })
            .map(|s| s.name)
            .collect();
        let _ = writeln!(
            out,
            "{}: {} of {} stencils keep their continuation jump",
            table.target,
            kept.len(),
            table.stencils.len()
        );
        for name in kept {
            let _ = writeln!(out, "    {name}");
        }
    }
    check_golden("tests/golden/kept_continuations.txt", &out);
}

/// Every stencil of every table stitches and links at a fixed address with small operand
/// values: each hole's patcher accepts the instruction the extractor found it in (this is
/// the only check the tables of targets that cannot run here get beyond their goldens).
#[test]
fn every_stencil_patches_in_every_table() {
    for table in tables::all() {
        let mut buf = cnp::CodeBuffer::new(table.arch);
        for stencil in table.stencils {
            buf.emit(stencil, |_| Some(cnp::Value::Imm(0x40)))
                .unwrap_or_else(|e| panic!("{}: {}: {e}", table.target, stencil.name));
        }
        let mut image = Vec::new();
        let layout = buf
            .link_at(0x1000_0000, &mut image)
            .unwrap_or_else(|e| panic!("{}: {e}", table.target));
        assert!(image.len() >= layout.code_len && layout.code_len > 0);
    }
}

/// The size of each table (printed with `--nocapture`, for ARCHITECTURE.md): each has code
/// and the generic stencil.
#[test]
fn table_sizes() {
    for table in tables::all() {
        let code: usize = table.stencils.iter().map(|s| s.code.len()).sum();
        let holes: usize = table.stencils.iter().map(|s| s.holes.len()).sum();
        eprintln!(
            "{}: {} stencils, {code} bytes of code, {holes} holes",
            table.target,
            table.stencils.len()
        );
        assert!(code > 0 && table.stencil(GENERIC_STENCIL).is_some());
    }
}
