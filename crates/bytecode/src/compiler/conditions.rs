//! Conditions compiled to jumps: compare-and-branch ops for typed comparisons, `&&` and `||`
//! as chains of jumps, and the jump when a condition is false.

use mochi_syntax::ast::{self, BinOp, ExprKind};
use mochi_types::Type;

use super::expr::{Num, num, small_imm};
use super::{CompileError, FnBuilder};
use crate::ops::{Imm, Op, Reg, Target};

impl<'c, 'a> FnBuilder<'c, 'a> {
    /// Compiles a condition and the jumps taken when it is false; returns the jumps to patch.
    pub(crate) fn cond_jump_false(
        &mut self,
        cond: &'a ast::Expr,
    ) -> Result<Vec<usize>, CompileError> {
        let saved_offset = self.offset;
        self.offset = cond.span.start;
        let mark = self.mark();
        let at = self.cond_jumps(cond)?;
        self.release(mark);
        self.offset = saved_offset;
        Ok(at)
    }

    /// A condition's false jumps (none for `true`). `&&` and `||` of bools become jump
    /// chains rather than a materialized bool tested again (`while i < n && x * x <= 4.0` is two fused
    /// compare-and-branch ops, not a `LtI64`, a branch, a join and a second test).
    fn cond_jumps(&mut self, cond: &'a ast::Expr) -> Result<Vec<usize>, CompileError> {
        match cond.kind {
            // `while true { … }`: no test at all.
            ExprKind::Bool(true) => return Ok(Vec::new()),
            ExprKind::Bool(false) => return Ok(vec![self.emit(Op::Jump { target: Target(0) })]),
            _ => {}
        }
        if let ExprKind::Binary {
            op: op @ (BinOp::And | BinOp::Or),
            lhs,
            rhs,
        } = &cond.kind
            && *self.ty(lhs) == Type::Bool
            && *self.ty(rhs) == Type::Bool
        {
            if *op == BinOp::And {
                let mut falses = self.cond_jumps(lhs)?;
                falses.extend(self.cond_jumps(rhs)?);
                return Ok(falses);
            }
            // `a || b`: true as soon as `a` is; false when `b` is false.
            let a = self.expr_reg(lhs)?;
            let taken = self.emit(Op::JumpIfTrue {
                cond: a,
                target: Target(0),
            });
            let falses = self.cond_jumps(rhs)?;
            self.patch_here(taken);
            return Ok(falses);
        }
        Ok(vec![self.cond_jump(cond)?])
    }

    /// A condition that is not a chain: one fused compare-and-branch where the operand types
    /// allow, else the value and a `JumpIfFalse`.
    fn cond_jump(&mut self, cond: &'a ast::Expr) -> Result<usize, CompileError> {
        if let ExprKind::Binary { op, lhs, rhs } = &cond.kind {
            let lt = num(self.ty(lhs));
            let rt = num(self.ty(rhs));
            let t = Target(0);
            if lt == Num::Int && rt == Num::Int {
                if let Some(imm) = small_imm(rhs) {
                    let imm = Imm(imm);
                    let make = |a| match op {
                        BinOp::Lt => Some(Op::LtI64ImmJumpIfFalse { a, imm, target: t }),
                        BinOp::Le => Some(Op::LeI64ImmJumpIfFalse { a, imm, target: t }),
                        BinOp::Gt => Some(Op::GtI64ImmJumpIfFalse { a, imm, target: t }),
                        BinOp::Ge => Some(Op::GeI64ImmJumpIfFalse { a, imm, target: t }),
                        BinOp::Eq => Some(Op::EqI64ImmJumpIfFalse { a, imm, target: t }),
                        BinOp::Ne => Some(Op::NeI64ImmJumpIfFalse { a, imm, target: t }),
                        _ => None,
                    };
                    if make(Reg(0)).is_some() {
                        let a = self.expr_reg(lhs)?;
                        return Ok(self.emit(make(a).expect("checked above")));
                    }
                }
                let fused = matches!(
                    op,
                    BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
                );
                if fused {
                    let a = self.expr_reg(lhs)?;
                    let b = self.expr_reg(rhs)?;
                    let op = match op {
                        BinOp::Lt => Op::LtI64JumpIfFalse { a, b, target: t },
                        BinOp::Le => Op::LeI64JumpIfFalse { a, b, target: t },
                        BinOp::Gt => Op::LtI64JumpIfFalse {
                            a: b,
                            b: a,
                            target: t,
                        },
                        BinOp::Ge => Op::LeI64JumpIfFalse {
                            a: b,
                            b: a,
                            target: t,
                        },
                        BinOp::Eq => Op::EqI64JumpIfFalse { a, b, target: t },
                        _ => Op::NeI64JumpIfFalse { a, b, target: t },
                    };
                    return Ok(self.emit(op));
                }
            }
            let float_cmp = (lt == Num::Float || rt == Num::Float)
                && lt != Num::Other
                && rt != Num::Other
                && matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge);
            if float_cmp {
                let a = self.float_operand(lhs)?;
                let b = self.float_operand(rhs)?;
                let op = match op {
                    BinOp::Lt => Op::LtF64JumpIfFalse { a, b, target: t },
                    BinOp::Le => Op::LeF64JumpIfFalse { a, b, target: t },
                    BinOp::Gt => Op::LtF64JumpIfFalse {
                        a: b,
                        b: a,
                        target: t,
                    },
                    _ => Op::LeF64JumpIfFalse {
                        a: b,
                        b: a,
                        target: t,
                    },
                };
                return Ok(self.emit(op));
            }
        }
        let r = self.expr_reg(cond)?;
        Ok(self.emit(Op::JumpIfFalse {
            cond: r,
            target: Target(0),
        }))
    }
}
