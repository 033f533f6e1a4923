//! Integer arithmetic with overflow checks (speculating on the int fast path) and
//! division.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, InstBuilder, types};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::value::TAG_INT;

use super::state::Range;
use super::{FunctionEmitter, I64, const_div, ranges};

/// An integer operation checked for overflow (`FunctionEmitter::int_overflow_op`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum ArithKind {
    Add,
    Sub,
    Mul,
}

/// The right operand of an integer operation: a value or an op's immediate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Operand {
    Value(ir::Value),
    Imm(i64),
}

impl ArithKind {
    /// The operation on exact integers.
    fn exact(self) -> fn(i128, i128) -> i128 {
        match self {
            ArithKind::Add => |a, b| a + b,
            ArithKind::Sub => |a, b| a - b,
            ArithKind::Mul => |a, b| a * b,
        }
    }
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// `x op y`, where its operands' ranges (`ranges.rs`) rule out overflow; else speculating
    /// that it does not overflow (the interpreter makes a big int). The result's range is
    /// known wherever the operands' are.
    pub(super) fn int_overflow_op(&mut self, op: &Op, x: ir::Value, y: Operand, dst: Reg, pc: u32) {
        let kind = match op {
            Op::AddI64 { .. } | Op::AddI64Imm { .. } => ArithKind::Add,
            Op::SubI64 { .. } | Op::SubI64Imm { .. } => ArithKind::Sub,
            _ => ArithKind::Mul,
        };
        let result = (self.operand_ranges(op)).map(|(a, b)| a.combine(b, kind.exact()));
        if let Some((range, true)) = result {
            let y = match y {
                Operand::Value(v) => v,
                Operand::Imm(k) => self.b.ins().iconst(I64, k),
            };
            let r = match kind {
                ArithKind::Add => self.b.ins().iadd(x, y),
                ArithKind::Sub => self.b.ins().isub(x, y),
                ArithKind::Mul => self.b.ins().imul(x, y),
            };
            self.set(dst, r, TAG_INT);
            self.set_range(dst, Some(range));
            return;
        }
        self.checked_int_op(kind, x, y, dst, pc);
        self.set_range(dst, result.map(|(range, _)| range));
    }

    /// `x op y` speculating that it does not overflow. The same operation on the same values
    /// earlier in the block reuses that result, whose check already passed: Cranelift does
    /// not merge its two-result overflow instructions (`(i + j) * (i + j + 1)` in
    /// spectral_norm computed and checked `i + j` twice).
    fn checked_int_op(&mut self, kind: ArithKind, x: ir::Value, y: Operand, dst: Reg, pc: u32) {
        let key = match (kind, y) {
            // Commutative: one order of two values.
            (ArithKind::Add | ArithKind::Mul, Operand::Value(y)) if y < x => {
                (kind, y, Operand::Value(x))
            }
            _ => (kind, x, y),
        };
        if let Some(&r) = self.checked_arith.get(&key) {
            self.set(dst, r, TAG_INT);
            return;
        }
        if let (ArithKind::Add | ArithKind::Sub, Operand::Imm(k)) = (kind, y) {
            // A constant's sign says which way the result moves, so "no overflow" is one
            // compare of the result with `x`, which x86 fuses with its branch; the overflow
            // flag of `sadd_overflow` costs a `seto` and a `test` before the branch.
            let k = if kind == ArithKind::Sub { -k } else { k };
            let r = self.b.ins().iadd_imm_s(x, k);
            if k != 0 {
                let cc = if k > 0 {
                    IntCC::SignedGreaterThan
                } else {
                    IntCC::SignedLessThan
                };
                let fine = self.b.ins().icmp(cc, r, x);
                self.speculate(fine, pc);
            }
            self.checked_arith.insert(key, r);
            self.set(dst, r, TAG_INT);
            return;
        }
        let y_value = match y {
            Operand::Value(v) => v,
            Operand::Imm(k) => self.b.ins().iconst(I64, k),
        };
        let (r, overflow) = match kind {
            ArithKind::Add => self.b.ins().sadd_overflow(x, y_value),
            ArithKind::Sub => self.b.ins().ssub_overflow(x, y_value),
            ArithKind::Mul => self.b.ins().smul_overflow(x, y_value),
        };
        let fine = self.b.ins().icmp_imm_s(IntCC::Equal, overflow, 0);
        self.speculate(fine, pc);
        self.checked_arith.insert(key, r);
        self.set(dst, r, TAG_INT);
    }

    /// `x / y` or `x % y` (truncating; `y` is neither 0 nor -1). Operands that both fit in 32
    /// unsigned bits divide with a 32-bit instruction, several times faster than the 64-bit
    /// one on x86 (clang does the same for the stencils); truncation equals Mochi's rounding
    /// there because both are non-negative.
    /// `dst = a / y` (or `a % y` when `!quotient`), `a` an int, `y` one in `y_range` when
    /// known: by a sequence for a constant divisor, else by the general division, after a
    /// check that `y` is neither 0 (an error) nor -1 (`i64::MIN / -1` overflows), which the
    /// interpreter handles.
    pub(super) fn int_division(
        &mut self,
        quotient: bool,
        dst: Reg,
        a: Reg,
        y: ir::Value,
        y_range: Option<Range>,
        pc: u32,
    ) {
        let x_range = self.range(a);
        if let Some(d) = self.constant(y)
            && let Some(plan) = const_div::plan(d)
        {
            let x = self.bits(a);
            let nonneg = x_range.is_some_and(|r| r.lo >= 0);
            let r = self.divide_by_constant(quotient, x, d, &plan, nonneg);
            self.set(dst, r, TAG_INT);
            let range = x_range.and_then(|x| ranges::divided(x, d, quotient));
            self.set_range(dst, range);
            return;
        }
        // `y` is neither 0 nor -1 exactly when `y + 1` (wrapping) is at least 2 unsigned:
        // one compare.
        if y_range.is_none_or(|r| r.contains(0) || r.contains(-1)) {
            let y_plus_1 = self.b.ins().iadd_imm_s(y, 1);
            let ok = (self.b.ins()).icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, y_plus_1, 2);
            self.speculate(ok, pc);
        }
        let x = self.bits(a);
        let r = self.int_divide(quotient, x, y);
        self.set(dst, r, TAG_INT);
    }

    pub(super) fn int_divide(&mut self, quotient: bool, x: ir::Value, y: ir::Value) -> ir::Value {
        let narrow = self.b.create_block();
        let wide = self.b.create_block();
        let join = self.b.create_block();
        let r = self.b.append_block_param(join, I64);
        let both = self.b.ins().bor(x, y);
        let small = self
            .b
            .ins()
            .icmp_imm_s(IntCC::UnsignedLessThan, both, 1 << 32);
        self.b.ins().brif(small, narrow, &[], wide, &[]);

        self.switch_to(narrow);
        let (x32, y32) = (
            self.b.ins().ireduce(types::I32, x),
            self.b.ins().ireduce(types::I32, y),
        );
        let r32 = if quotient {
            self.b.ins().udiv(x32, y32)
        } else {
            self.b.ins().urem(x32, y32)
        };
        let r64 = self.b.ins().uextend(I64, r32);
        self.b.ins().jump(join, &[r64.into()]);

        self.switch_to(wide);
        let r64 = if quotient {
            self.b.ins().sdiv(x, y)
        } else {
            self.b.ins().srem(x, y)
        };
        self.b.ins().jump(join, &[r64.into()]);

        self.switch_to(join);
        r
    }
}
