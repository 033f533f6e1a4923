//! What the optimizing tier speculates: the tags each typed op expects of its operands (the
//! checker's static types, `mochi_bytecode::expect`). The op's inline code runs once they
//! hold; where one does not, the function deoptimizes. One table serves the op's own guard
//! and the loop headers, which check these tags once before the loop instead of once per
//! iteration.

use mochi_bytecode::expect::{Kind, operand_kinds};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::ObjKind;
use mochi_runtime::value::{TAG_BOOL, TAG_FLOAT, TAG_INT};

/// The tag values of kind `kind` have.
fn tag_of(kind: Kind) -> u64 {
    match kind {
        Kind::Int => TAG_INT,
        Kind::Float => TAG_FLOAT,
        Kind::Bool => TAG_BOOL,
        Kind::List => ObjKind::List as u64,
        Kind::Struct => ObjKind::Struct as u64,
        Kind::Cell => ObjKind::Cell as u64,
    }
}

/// The (slot, tag) pairs op `op`'s inline code needs; empty for ops that run generically.
pub(crate) fn expected_tags(op: &Op) -> Vec<(Reg, u64)> {
    operand_kinds(op)
        .into_iter()
        .flatten()
        .map(|e| (e.reg, tag_of(e.kind)))
        .collect()
}
