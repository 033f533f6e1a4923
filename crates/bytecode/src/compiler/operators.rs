//! Operators and casts: binary operators (typed op selection, immediate forms, `&&`, `||`
//! and `??` as jumps, string and list concatenation, the set operators) and `as`
//! conversions. Unary operators and conditions compiled to jumps are in `expr.rs` and
//! `conditions.rs`.

use mochi_syntax::ast::{self, BinOp, ExprKind, TypeExprKind};
use mochi_types::{Builtin, CallKind, Type};

use super::expr::{Num, num, small_imm};
use super::{CompileError, FnBuilder};
use crate::ops::{CastTy, Imm, Op, Reg, StructRef, Target};
use crate::program::ConstValue;

impl<'c, 'a> FnBuilder<'c, 'a> {
    pub(super) fn binary(
        &mut self,
        op: BinOp,
        lhs: &'a ast::Expr,
        rhs: &'a ast::Expr,
        dst: Reg,
    ) -> Result<(), CompileError> {
        match op {
            BinOp::And | BinOp::Or => {
                self.expr_into(lhs, dst)?;
                let j = if op == BinOp::And {
                    self.emit(Op::JumpIfFalse {
                        cond: dst,
                        target: Target(0),
                    })
                } else {
                    self.emit(Op::JumpIfTrue {
                        cond: dst,
                        target: Target(0),
                    })
                };
                self.expr_into(rhs, dst)?;
                self.patch_here(j);
                return Ok(());
            }
            BinOp::Coalesce => {
                self.expr_into(lhs, dst)?;
                let none = self.alloc();
                self.emit(Op::LoadNone { dst: none });
                let t = self.alloc();
                self.emit(Op::Eq {
                    dst: t,
                    a: dst,
                    b: none,
                });
                let j = self.emit(Op::JumpIfFalse {
                    cond: t,
                    target: Target(0),
                });
                self.expr_into(rhs, dst)?;
                self.patch_here(j);
                return Ok(());
            }
            _ => {}
        }
        let lt = num(self.ty(lhs));
        let rt = num(self.ty(rhs));
        let both_int = lt == Num::Int && rt == Num::Int;
        let float_mix =
            (lt == Num::Float || rt == Num::Float) && lt != Num::Other && rt != Num::Other;
        // Immediate forms for int op small-literal.
        if both_int && let Some(imm) = small_imm(rhs) {
            let a = self.expr_reg(lhs)?;
            let imm = Imm(imm);
            let fused = match op {
                BinOp::Add => Some(Op::AddI64Imm { dst, a, imm }),
                BinOp::Sub => Some(Op::SubI64Imm { dst, a, imm }),
                BinOp::Mul => Some(Op::MulI64Imm { dst, a, imm }),
                // A zero divisor is an error and x / -1 may overflow: the general ops' cases.
                BinOp::Div if imm.0 != 0 && imm.0 != -1 => Some(Op::DivI64Imm { dst, a, imm }),
                BinOp::Mod if imm.0 != 0 && imm.0 != -1 => Some(Op::ModI64Imm { dst, a, imm }),
                _ => None,
            };
            if let Some(fused) = fused {
                self.emit(fused);
                return Ok(());
            }
            let b = self.alloc();
            self.emit(Op::LoadInt { dst: b, imm });
            self.emit_binary(op, dst, a, b, Num::Int);
            return Ok(());
        }
        if float_mix {
            let a = self.float_operand(lhs)?;
            let b = self.float_operand(rhs)?;
            self.emit_binary(op, dst, a, b, Num::Float);
            return Ok(());
        }
        if op == BinOp::Add && *self.ty(lhs) == Type::Str {
            return self.concat(lhs, rhs, dst);
        }
        let a = self.expr_reg(lhs)?;
        let b = self.expr_reg(rhs)?;
        let class = if both_int { Num::Int } else { Num::Other };
        self.emit_binary(op, dst, a, b, class);
        Ok(())
    }

    /// `lhs + rhs` for a string `lhs`: `s + str(x)` formats `x` into the result without a
    /// string of its own (the idiom of string building); `s + t` is a typed concatenation.
    fn concat(
        &mut self,
        lhs: &'a ast::Expr,
        rhs: &'a ast::Expr,
        dst: Reg,
    ) -> Result<(), CompileError> {
        let a = self.expr_reg(lhs)?;
        if let ExprKind::Call { args, .. } = &rhs.kind
            && let [x] = args.as_slice()
            && let Some(CallKind::Builtin(Builtin::Str)) = self.cx.checked.calls.get(&rhs.id)
        {
            let src = self.expr_reg(x)?;
            self.emit(Op::AddStrOf { dst, a, src });
            return Ok(());
        }
        let b = self.expr_reg(rhs)?;
        if *self.ty(rhs) == Type::Str {
            self.emit(Op::AddStr { dst, a, b });
        } else {
            self.emit(Op::Add { dst, a, b });
        }
        Ok(())
    }

    /// `dst = src as ty` for the value of `expr` in `src`: the typed conversions when its
    /// static type is the other number type (their slow paths are `Cast`'s, so any value
    /// converts exactly as `Cast` would), else `Cast`.
    pub(super) fn emit_cast(&mut self, dst: Reg, src: Reg, ty: CastTy, expr: &ast::Expr) {
        let op = match (ty, num(self.ty(expr))) {
            (CastTy::Float, Num::Int) => Op::IntToF64 { dst, src },
            (CastTy::Int, Num::Float) => Op::F64ToInt { dst, src },
            _ => Op::Cast { dst, src, ty },
        };
        self.emit(op);
    }

    /// Evaluates a numeric operand as a float (int literals folded, int values converted).
    pub(super) fn float_operand(&mut self, e: &'a ast::Expr) -> Result<Reg, CompileError> {
        if num(self.ty(e)) == Num::Float {
            return self.expr_reg(e);
        }
        if let ExprKind::Int(v) = e.kind {
            let r = self.alloc();
            let k = self.cx.const_index(ConstValue::Float(v as f64), e.span)?;
            self.emit(Op::LoadConst { dst: r, k });
            return Ok(r);
        }
        let src = self.expr_reg(e)?;
        let r = self.alloc();
        self.emit(Op::IntToF64 { dst: r, src });
        Ok(r)
    }

    fn emit_binary(&mut self, op: BinOp, dst: Reg, a: Reg, b: Reg, class: Num) {
        use Num::*;
        let op = match (op, class) {
            (BinOp::Add, Int) => Op::AddI64 { dst, a, b },
            (BinOp::Sub, Int) => Op::SubI64 { dst, a, b },
            (BinOp::Mul, Int) => Op::MulI64 { dst, a, b },
            (BinOp::Div, Int) => Op::DivI64 { dst, a, b },
            (BinOp::Mod, Int) => Op::ModI64 { dst, a, b },
            (BinOp::Add, Float) => Op::AddF64 { dst, a, b },
            (BinOp::Sub, Float) => Op::SubF64 { dst, a, b },
            (BinOp::Mul, Float) => Op::MulF64 { dst, a, b },
            (BinOp::Div, Float) => Op::DivF64 { dst, a, b },
            (BinOp::Mod, Float) => Op::ModF64 { dst, a, b },
            (BinOp::Add | BinOp::UnionAll, _) => Op::Add { dst, a, b },
            (BinOp::Sub, _) => Op::Sub { dst, a, b },
            (BinOp::Mul, _) => Op::Mul { dst, a, b },
            (BinOp::Div, _) => Op::Div { dst, a, b },
            (BinOp::Mod, _) => Op::Mod { dst, a, b },
            (BinOp::Eq, Int) => Op::EqI64 { dst, a, b },
            (BinOp::Ne, Int) => Op::NeI64 { dst, a, b },
            (BinOp::Lt, Int) => Op::LtI64 { dst, a, b },
            (BinOp::Le, Int) => Op::LeI64 { dst, a, b },
            (BinOp::Gt, Int) => Op::LtI64 { dst, a: b, b: a },
            (BinOp::Ge, Int) => Op::LeI64 { dst, a: b, b: a },
            (BinOp::Lt, Float) => Op::LtF64 { dst, a, b },
            (BinOp::Le, Float) => Op::LeF64 { dst, a, b },
            (BinOp::Gt, Float) => Op::LtF64 { dst, a: b, b: a },
            (BinOp::Ge, Float) => Op::LeF64 { dst, a: b, b: a },
            (BinOp::Eq, _) => Op::Eq { dst, a, b },
            (BinOp::Ne, _) => Op::Ne { dst, a, b },
            (BinOp::Lt, _) => Op::Lt { dst, a, b },
            (BinOp::Le, _) => Op::Le { dst, a, b },
            (BinOp::Gt, _) => Op::Lt { dst, a: b, b: a },
            (BinOp::Ge, _) => Op::Le { dst, a: b, b: a },
            (BinOp::In, _) => Op::In { dst, x: a, coll: b },
            (BinOp::Union, _) => Op::UnionList { dst, a, b },
            (BinOp::Except, _) => Op::ExceptList { dst, a, b },
            (BinOp::Intersect, _) => Op::IntersectList { dst, a, b },
            (BinOp::And | BinOp::Or | BinOp::Coalesce, _) => {
                unreachable!("handled by the caller")
            }
        };
        self.emit(op);
    }

    pub(super) fn cast(
        &mut self,
        expr: &'a ast::Expr,
        ty: &'a ast::TypeExpr,
        dst: Reg,
    ) -> Result<(), CompileError> {
        let src = self.expr_reg(expr)?;
        let cast = match &ty.kind {
            TypeExprKind::Named { name, .. } => match name.as_str() {
                "int" => Some(CastTy::Int),
                "float" => Some(CastTy::Float),
                "string" => Some(CastTy::Str),
                "bigint" => Some(CastTy::BigInt),
                "bigrat" => Some(CastTy::BigRat),
                _ => {
                    if let Some(sid) = self
                        .cx
                        .checked
                        .structs
                        .iter()
                        .position(|s| s.name == *name && s.union.is_none())
                    {
                        self.emit(Op::CastStruct {
                            dst,
                            src,
                            sref: StructRef(sid as u32),
                        });
                        return Ok(());
                    }
                    None
                }
            },
            TypeExprKind::Fun { .. } => None,
        };
        match cast {
            Some(ty) => self.emit_cast(dst, src, ty, expr),
            None => {
                if src != dst {
                    self.emit(Op::Move { dst, src });
                }
            }
        }
        Ok(())
    }
}
