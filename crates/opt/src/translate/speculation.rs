//! What the optimizing tier speculates: the tags each typed op expects of its operands (the
//! checker's static types). The op's inline code runs once they hold; where one does not, the
//! function deoptimizes. One table serves the op's own guard and the loop headers, which
//! check these tags once before the loop instead of once per iteration.

use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::ObjKind;
use mochi_runtime::value::{TAG_BOOL, TAG_FLOAT, TAG_INT};

const LIST: u64 = ObjKind::List as u64;
const STRUCT: u64 = ObjKind::Struct as u64;
const CELL: u64 = ObjKind::Cell as u64;

/// The (slot, tag) pairs op `op`'s inline code needs; empty for ops that run generically.
pub(crate) fn expected_tags(op: &Op) -> Vec<(Reg, u64)> {
    match *op {
        Op::AddI64 { a, b, .. }
        | Op::SubI64 { a, b, .. }
        | Op::MulI64 { a, b, .. }
        | Op::DivI64 { a, b, .. }
        | Op::ModI64 { a, b, .. }
        | Op::EqI64 { a, b, .. }
        | Op::NeI64 { a, b, .. }
        | Op::LtI64 { a, b, .. }
        | Op::LeI64 { a, b, .. }
        | Op::LtI64JumpIfFalse { a, b, .. }
        | Op::LeI64JumpIfFalse { a, b, .. }
        | Op::EqI64JumpIfFalse { a, b, .. }
        | Op::NeI64JumpIfFalse { a, b, .. } => vec![(a, TAG_INT), (b, TAG_INT)],
        Op::AddI64Imm { a, .. }
        | Op::SubI64Imm { a, .. }
        | Op::MulI64Imm { a, .. }
        | Op::LtI64ImmJumpIfFalse { a, .. }
        | Op::LeI64ImmJumpIfFalse { a, .. }
        | Op::GtI64ImmJumpIfFalse { a, .. }
        | Op::GeI64ImmJumpIfFalse { a, .. }
        | Op::EqI64ImmJumpIfFalse { a, .. }
        | Op::NeI64ImmJumpIfFalse { a, .. } => vec![(a, TAG_INT)],
        Op::NegI64 { src, .. } | Op::IntToF64 { src, .. } => vec![(src, TAG_INT)],
        Op::AddF64 { a, b, .. }
        | Op::SubF64 { a, b, .. }
        | Op::MulF64 { a, b, .. }
        | Op::DivF64 { a, b, .. }
        | Op::LtF64 { a, b, .. }
        | Op::LeF64 { a, b, .. }
        | Op::LtF64JumpIfFalse { a, b, .. }
        | Op::LeF64JumpIfFalse { a, b, .. } => vec![(a, TAG_FLOAT), (b, TAG_FLOAT)],
        Op::NegF64 { src, .. } => vec![(src, TAG_FLOAT)],
        Op::Not { src, .. } => vec![(src, TAG_BOOL)],
        Op::JumpIfFalse { cond, .. } | Op::JumpIfTrue { cond, .. } => vec![(cond, TAG_BOOL)],
        Op::ForStepI64 { counter, end, .. } => vec![(counter, TAG_INT), (end, TAG_INT)],
        Op::IndexList { obj, idx, .. } | Op::SetIndexList { obj, idx, .. } => {
            vec![(obj, LIST), (idx, TAG_INT)]
        }
        Op::GetField { obj, .. } | Op::SetField { obj, .. } => vec![(obj, STRUCT)],
        Op::LoadCell { cell, .. } | Op::StoreCell { cell, .. } => vec![(cell, CELL)],
        _ => Vec::new(),
    }
}
