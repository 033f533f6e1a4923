//! What a typed op's fast path expects of its operands (the checker's static types) and what
//! it makes. One table for both native tiers: the optimizing tier speculates on these kinds
//! (and checks loop-invariant ones once, before the loop); the stitcher tracks them to pick
//! stencil variants that skip a check an earlier op already made.

use crate::ops::{Op, Reg};

/// A kind of value a typed op's fast path checks for or makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An int on the fast path: 64 bits (bigger ones are heap objects).
    Int,
    /// A float.
    Float,
    /// A bool.
    Bool,
    /// A list object.
    List,
    /// A struct object.
    Struct,
    /// A cell (a captured local's box).
    Cell,
}

/// An operand a typed op's fast path checks: its name in the op table, its slot, and the
/// kind it must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    /// The operand's name (`a`, `b`, `src`, ...).
    pub field: &'static str,
    /// Its slot.
    pub reg: Reg,
    /// The kind the fast path needs.
    pub kind: Kind,
}

/// The operands op `op`'s fast path checks (at most two; none for ops that run
/// generically). Any other value takes the op's slow path.
pub fn operand_kinds(op: &Op) -> [Option<Expected>; 2] {
    use Kind::*;
    let e = |field, reg, kind| Some(Expected { field, reg, kind });
    let two = |a, b, kind| [e("a", a, kind), e("b", b, kind)];
    let one = |a, kind| [e("a", a, kind), None];
    let unary = |src, kind| [e("src", src, kind), None];
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
        | Op::NeI64JumpIfFalse { a, b, .. } => two(a, b, Int),
        Op::AddI64Imm { a, .. }
        | Op::SubI64Imm { a, .. }
        | Op::MulI64Imm { a, .. }
        | Op::DivI64Imm { a, .. }
        | Op::ModI64Imm { a, .. }
        | Op::LtI64ImmJumpIfFalse { a, .. }
        | Op::LeI64ImmJumpIfFalse { a, .. }
        | Op::GtI64ImmJumpIfFalse { a, .. }
        | Op::GeI64ImmJumpIfFalse { a, .. }
        | Op::EqI64ImmJumpIfFalse { a, .. }
        | Op::NeI64ImmJumpIfFalse { a, .. } => one(a, Int),
        Op::NegI64 { src, .. } | Op::IntToF64 { src, .. } => unary(src, Int),
        Op::AddF64 { a, b, .. }
        | Op::SubF64 { a, b, .. }
        | Op::MulF64 { a, b, .. }
        | Op::DivF64 { a, b, .. }
        | Op::LtF64 { a, b, .. }
        | Op::LeF64 { a, b, .. }
        | Op::LtF64JumpIfFalse { a, b, .. }
        | Op::LeF64JumpIfFalse { a, b, .. } => two(a, b, Float),
        Op::NegF64 { src, .. } | Op::F64ToInt { src, .. } => unary(src, Float),
        Op::Not { src, .. } => unary(src, Bool),
        Op::JumpIfFalse { cond, .. } | Op::JumpIfTrue { cond, .. } => [e("cond", cond, Bool), None],
        Op::ForStepI64 { counter, end, .. } => [e("counter", counter, Int), e("end", end, Int)],
        Op::IndexList { obj, idx, .. } | Op::SetIndexList { obj, idx, .. } => {
            [e("obj", obj, List), e("idx", idx, Int)]
        }
        Op::GetField { obj, .. } | Op::SetField { obj, .. } => [e("obj", obj, Struct), None],
        Op::LoadCell { cell, .. } | Op::StoreCell { cell, .. } => [e("cell", cell, Cell), None],
        _ => [None, None],
    }
}

/// The kind of what op `op`'s fast path writes to its `dst` (`ForStepI64`: its `counter`,
/// which stays an int), when the op alone decides it
/// (a constant's kind, or a copy's, is the caller's to know). Its slow path may write
/// anything: a big int past 64 bits, or the generic result of operands of other kinds.
pub fn result_kind(op: &Op) -> Option<Kind> {
    use Kind::*;
    match *op {
        Op::AddI64 { .. }
        | Op::SubI64 { .. }
        | Op::MulI64 { .. }
        | Op::DivI64 { .. }
        | Op::ModI64 { .. }
        | Op::AddI64Imm { .. }
        | Op::SubI64Imm { .. }
        | Op::MulI64Imm { .. }
        | Op::DivI64Imm { .. }
        | Op::ModI64Imm { .. }
        | Op::NegI64 { .. }
        | Op::F64ToInt { .. }
        | Op::ForStepI64 { .. }
        | Op::LoadInt { .. } => Some(Int),
        Op::AddF64 { .. }
        | Op::SubF64 { .. }
        | Op::MulF64 { .. }
        | Op::DivF64 { .. }
        | Op::NegF64 { .. }
        | Op::IntToF64 { .. } => Some(Float),
        Op::EqI64 { .. }
        | Op::NeI64 { .. }
        | Op::LtI64 { .. }
        | Op::LeI64 { .. }
        | Op::LtF64 { .. }
        | Op::LeF64 { .. }
        | Op::Not { .. }
        | Op::LoadTrue { .. }
        | Op::LoadFalse { .. } => Some(Bool),
        _ => None,
    }
}
