//! Every bytecode op has a stencil in every committed table, every hole a stencil uses is
//! one the JIT knows how to fill, and every stencil source has been built into the tables.

use mochi_bytecode::OpCode;
use mochi_jit::{Stencils, stencil_name, tables};

#[test]
fn every_op_has_a_stencil_in_every_table() {
    let mut checked = 0;
    for table in tables::all() {
        Stencils::new(table).unwrap_or_else(|e| panic!("{}: {e}", table.target));
        for code in OpCode::ALL {
            assert!(
                table.stencil(&stencil_name(*code)).is_some(),
                "{}: no stencil for {}",
                table.target,
                code.name()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, tables::all().len() * OpCode::ALL.len());
}

#[test]
fn every_stencil_source_is_in_the_tables() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/stencils/ops");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read stencil dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".c").map(String::from))
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
                || [
                    "_JIT_A",
                    "_JIT_B",
                    "_JIT_BASE",
                    "_JIT_BUDGET",
                    "_JIT_CELL",
                    "_JIT_COND",
                    "_JIT_COUNTER",
                    "_JIT_DESC",
                    "_JIT_DST",
                    "_JIT_END",
                    "_JIT_ERROR",
                    "_JIT_FIELD_OFF",
                    "_JIT_FRAME_BYTES",
                    "_JIT_G",
                    "_JIT_IDX",
                    "_JIT_IMM",
                    "_JIT_K",
                    "_JIT_KTAG",
                    "_JIT_LOC",
                    "_JIT_OBJ",
                    "_JIT_RESUME",
                    "_JIT_SRC",
                    "_JIT_TARGET",
                    "_JIT_UP",
                ]
                .contains(sym);
            assert!(known, "{}: unexpected hole symbol {sym}", table.target);
        }
    }
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

/// The size of each table (printed with `--nocapture`, for ARCHITECTURE.md): every table
/// holds every stencil, and each has code.
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
        assert!(code > 0 && table.stencils.len() > OpCode::ALL.len());
    }
}
