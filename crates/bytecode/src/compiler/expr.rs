//! Expressions: typed op selection, names and fields, unary operators, collections, struct
//! literals, match (binary operators and casts are in `operators.rs`, calls and closures in
//! `calls.rs`, conditions compiled to jumps in `conditions.rs`).

use mochi_syntax::ast::{self, ArmBody, ExprKind, PatternKind, UnOp};
use mochi_types::{Builtin, Member, Res, Type};

use super::{CompileError, FnBuilder, Place};
use crate::ops::{Count, FieldRef, Func, Global, Imm, Op, Reg, StructRef, Target, Upval, Zero};
use crate::program::ConstValue;

/// Elements of a list literal (entries of a map literal: half as many) made in one op; a
/// longer literal is built in parts ([`FnBuilder::long_list`], [`FnBuilder::long_map`]).
const LITERAL_CHUNK: usize = 4096;

/// Static operand class used to pick typed ops.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Num {
    Int,
    Float,
    Other,
}

pub(super) fn num(t: &Type) -> Num {
    match t {
        Type::Int => Num::Int,
        Type::Float => Num::Float,
        _ => Num::Other,
    }
}

/// The zero value a missing key of a map of type `t` reads as, when its value type has one
/// (LANGUAGE.md §8.3: `int`, `float`, `string`, `bool`; every other type reads `none`).
fn map_zero(t: &Type) -> Option<Zero> {
    let Type::Map(_, v) = t else { return None };
    match **v {
        Type::Int => Some(Zero::Int),
        Type::Float => Some(Zero::Float),
        Type::Str => Some(Zero::Str),
        Type::Bool => Some(Zero::Bool),
        _ => None,
    }
}

pub(super) fn small_imm(e: &ast::Expr) -> Option<i32> {
    match e.kind {
        ExprKind::Int(v) => i32::try_from(v).ok(),
        ExprKind::Unary {
            op: UnOp::Neg,
            ref expr,
        } => match expr.kind {
            ExprKind::Int(v) => i32::try_from(-v).ok(),
            _ => None,
        },
        _ => None,
    }
}

impl<'c, 'a> FnBuilder<'c, 'a> {
    /// Evaluates `e` into some register: an uncaptured local's own slot when `e` names one,
    /// else a new temporary (released by the caller's mark).
    pub(crate) fn expr_reg(&mut self, e: &'a ast::Expr) -> Result<Reg, CompileError> {
        if let ExprKind::Name(_) = e.kind
            && let Some(Res::Local(l)) = self.cx.checked.resolutions.get(&e.id)
            && let Some(Place::Slot(r)) = self.place_of(*l)
        {
            self.disown(e);
            return Ok(r);
        }
        let r = self.alloc();
        self.expr_into(e, r)?;
        Ok(r)
    }

    /// Evaluates `e` into `dst`.
    pub(crate) fn expr_into(&mut self, e: &'a ast::Expr, dst: Reg) -> Result<(), CompileError> {
        let saved_offset = self.offset;
        self.offset = e.span.start;
        let mark = self.mark();
        self.expr_into_inner(e, dst)?;
        self.release(mark);
        self.offset = saved_offset;
        Ok(())
    }

    fn expr_into_inner(&mut self, e: &'a ast::Expr, dst: Reg) -> Result<(), CompileError> {
        match &e.kind {
            ExprKind::Int(v) => self.load_int(*v, dst)?,
            ExprKind::Float(f) => {
                let k = self.cx.const_index(ConstValue::Float(*f), e.span)?;
                self.emit(Op::LoadConst { dst, k });
            }
            ExprKind::Str(s) => {
                let k = self.str_const(s)?;
                self.emit(Op::LoadConst { dst, k });
            }
            ExprKind::Bool(true) => {
                self.emit(Op::LoadTrue { dst });
            }
            ExprKind::Bool(false) => {
                self.emit(Op::LoadFalse { dst });
            }
            ExprKind::None => {
                self.emit(Op::LoadNone { dst });
            }
            ExprKind::Name(name) => self.name_into(e, name, dst)?,
            ExprKind::List(items) if items.len() > LITERAL_CHUNK => self.long_list(items, dst)?,
            ExprKind::Map(pairs) if pairs.len() > LITERAL_CHUNK / 2 => self.long_map(pairs, dst)?,
            ExprKind::List(items) => {
                let base = self.alloc_n(items.len());
                for (i, it) in items.iter().enumerate() {
                    self.expr_into(it, Reg(base.0 + i as u16))?;
                }
                self.emit(Op::NewList {
                    dst,
                    base,
                    n: Count(self.count(items.len(), e)?),
                });
            }
            ExprKind::Map(pairs) => {
                let base = self.alloc_n(pairs.len() * 2);
                for (i, (k, v)) in pairs.iter().enumerate() {
                    self.expr_into(k, Reg(base.0 + 2 * i as u16))?;
                    self.expr_into(v, Reg(base.0 + 2 * i as u16 + 1))?;
                }
                self.emit(Op::NewMap {
                    dst,
                    base,
                    n: Count(self.count(pairs.len(), e)?),
                });
            }
            ExprKind::StructLit { fields, .. } => self.struct_lit(e, fields, dst)?,
            ExprKind::Unary { op, expr } => {
                let r = self.expr_reg(expr)?;
                let op = match (op, num(self.ty(expr))) {
                    (UnOp::Neg, Num::Int) => Op::NegI64 { dst, src: r },
                    (UnOp::Neg, Num::Float) => Op::NegF64 { dst, src: r },
                    (UnOp::Neg, Num::Other) => Op::Neg { dst, src: r },
                    (UnOp::Not, _) => Op::Not { dst, src: r },
                };
                self.emit(op);
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, dst)?,
            ExprKind::Call { callee, args } => self.call(e, callee, args, dst)?,
            ExprKind::Index { target, index } => {
                let o = self.expr_reg(target)?;
                let i = self.expr_reg(index)?;
                if matches!(self.ty(target), Type::List(_)) && num(self.ty(index)) == Num::Int {
                    self.emit(Op::IndexList {
                        dst,
                        obj: o,
                        idx: i,
                    });
                } else if let Some(zero) = map_zero(self.ty(target)) {
                    self.emit(Op::IndexMapOrZero {
                        dst,
                        obj: o,
                        idx: i,
                        zero,
                    });
                } else {
                    self.emit(Op::Index {
                        dst,
                        obj: o,
                        idx: i,
                    });
                }
            }
            ExprKind::Slice { target, start, end } => {
                let o = self.expr_reg(target)?;
                let s = self.opt_reg(start.as_deref())?;
                let en = self.opt_reg(end.as_deref())?;
                self.emit(Op::Slice {
                    dst,
                    obj: o,
                    start: s,
                    end: en,
                });
            }
            ExprKind::Field { target, name } => {
                if let Some(&member) = self.cx.checked.members.get(&e.id) {
                    return self.member_into(member, e, dst);
                }
                let o = self.expr_reg(target)?;
                let ty = self.ty(target).clone();
                if let Some(f) = self.method_of(&ty, &name.name) {
                    // `value.method` without a call: the checker types it as the method's
                    // function type, so it is that method with the receiver bound.
                    self.bind_method(f, o, dst);
                } else if matches!(ty, Type::Any) && !self.methods_named(&name.name, 1).is_empty() {
                    self.dynamic_method_value(o, &name.name, dst)?;
                } else if let Some(zero) = map_zero(&ty) {
                    // `m.k` is `m["k"]` (LANGUAGE.md §8.3), zero value included.
                    let key = self.alloc();
                    let k = self.str_const(&name.name)?;
                    self.emit(Op::LoadConst { dst: key, k });
                    self.emit(Op::IndexMapOrZero {
                        dst,
                        obj: o,
                        idx: key,
                        zero,
                    });
                } else {
                    self.get_field(o, &name.name, Some(&ty), dst)?;
                }
            }
            ExprKind::Cast { expr, ty } => self.cast(expr, ty, dst)?,
            ExprKind::Lambda(decl) => {
                if let Some(fid) = self.cx.checked.fun_ids.get(&decl.id).copied() {
                    self.closure_into(fid, dst)?;
                } else {
                    self.emit(Op::LoadNone { dst });
                }
            }
            ExprKind::If {
                cond,
                then_expr,
                else_expr,
            } => {
                let jf = self.cond_jump_false(cond)?;
                self.expr_into(then_expr, dst)?;
                let j = self.emit(Op::Jump { target: Target(0) });
                self.patch_all_here(&jf);
                match else_expr {
                    Some(x) => self.expr_into(x, dst)?,
                    None => {
                        self.emit(Op::LoadNone { dst });
                    }
                }
                self.patch_here(j);
            }
            ExprKind::Match { target, arms } => self.match_expr(target, arms, dst)?,
            ExprKind::Query(q) => self.query(e, q, dst)?,
            ExprKind::Load(l) => self.load(e, l, dst)?,
            ExprKind::Save(s) => self.save(s, dst)?,
        }
        Ok(())
    }

    /// A list literal of more than [`LITERAL_CHUNK`] elements: its chunks are made one by
    /// one in the same slots and concatenated (`+`), so the frame does not grow with the
    /// literal (a generated lookup table may have more elements than a frame has slots).
    fn long_list(&mut self, items: &'a [ast::Expr], dst: Reg) -> Result<(), CompileError> {
        let acc = self.alloc();
        for (i, chunk) in items.chunks(LITERAL_CHUNK).enumerate() {
            let mark = self.mark();
            let base = self.alloc_n(chunk.len());
            for (j, it) in chunk.iter().enumerate() {
                self.expr_into(it, Reg(base.0 + j as u16))?;
            }
            let n = Count(chunk.len() as u16);
            if i == 0 {
                self.emit(Op::NewList { dst: acc, base, n });
            } else {
                let part = self.alloc();
                self.emit(Op::NewList { dst: part, base, n });
                self.emit(Op::Add {
                    dst: acc,
                    a: acc,
                    b: part,
                });
            }
            self.release(mark);
        }
        self.emit(Op::Move { dst, src: acc });
        Ok(())
    }

    /// A map literal of more than [`LITERAL_CHUNK`] / 2 entries: the first chunk is made
    /// as usual, the other entries are inserted one by one, in order (a later duplicate key
    /// wins, as in the literal).
    fn long_map(
        &mut self,
        pairs: &'a [(ast::Expr, ast::Expr)],
        dst: Reg,
    ) -> Result<(), CompileError> {
        let acc = self.alloc();
        let (first, rest) = pairs.split_at(LITERAL_CHUNK / 2);
        let mark = self.mark();
        let base = self.alloc_n(first.len() * 2);
        for (i, (k, v)) in first.iter().enumerate() {
            self.expr_into(k, Reg(base.0 + 2 * i as u16))?;
            self.expr_into(v, Reg(base.0 + 2 * i as u16 + 1))?;
        }
        self.emit(Op::NewMap {
            dst: acc,
            base,
            n: Count(first.len() as u16),
        });
        self.release(mark);
        let (k, v) = (self.alloc(), self.alloc());
        for (ke, ve) in rest {
            self.expr_into(ke, k)?;
            self.expr_into(ve, v)?;
            self.emit(Op::SetIndex {
                obj: acc,
                idx: k,
                src: v,
            });
        }
        self.emit(Op::Move { dst, src: acc });
        Ok(())
    }

    pub(super) fn count(&self, n: usize, e: &ast::Expr) -> Result<u16, CompileError> {
        u16::try_from(n).map_err(|_| CompileError::Limit {
            message: "too many elements in one literal (at most 65535)".into(),
            span: e.span,
        })
    }

    fn opt_reg(&mut self, e: Option<&'a ast::Expr>) -> Result<Reg, CompileError> {
        match e {
            Some(e) => self.expr_reg(e),
            None => {
                let r = self.alloc();
                self.emit(Op::LoadNone { dst: r });
                Ok(r)
            }
        }
    }

    fn load_int(&mut self, v: i64, dst: Reg) -> Result<(), CompileError> {
        match i32::try_from(v) {
            Ok(imm) => {
                self.emit(Op::LoadInt { dst, imm: Imm(imm) });
            }
            Err(_) => {
                let k = self.cx.const_index(ConstValue::Int(v), self.span)?;
                self.emit(Op::LoadConst { dst, k });
            }
        }
        Ok(())
    }

    fn name_into(&mut self, e: &'a ast::Expr, name: &str, dst: Reg) -> Result<(), CompileError> {
        self.disown(e);
        match self.cx.checked.resolutions.get(&e.id).cloned() {
            Some(Res::Local(l)) => match self.place_of(l) {
                Some(Place::Slot(r)) => {
                    if r != dst {
                        self.emit(Op::Move { dst, src: r });
                    }
                }
                Some(Place::Cell(c)) => {
                    self.emit(Op::LoadCell { dst, cell: c });
                }
                Some(Place::Upval(u)) => {
                    self.emit(Op::LoadUpval { dst, up: Upval(u) });
                }
                None => {
                    self.emit(Op::LoadNone { dst });
                }
            },
            Some(Res::Global(g)) => {
                self.emit(Op::LoadGlobal {
                    dst,
                    g: Global(g.0),
                });
            }
            Some(Res::Func(f)) => {
                self.emit(Op::LoadFunc {
                    dst,
                    func: Func(self.cx.func_index[&f.0]),
                });
            }
            Some(Res::SelfField(field)) => {
                let recv = self.self_reg()?;
                let ty = self.self_type();
                self.get_field(recv, &field, ty.as_ref(), dst)?;
            }
            Some(Res::SelfMethod(f)) => {
                // A method used as a value: bind the receiver.
                let recv = self.self_reg()?;
                self.bind_method(f, recv, dst);
            }
            Some(Res::Null) => {
                self.emit(Op::LoadNone { dst });
            }
            Some(Res::Variant(sid)) => {
                self.emit(Op::NewStruct {
                    dst,
                    sref: StructRef(sid.0),
                    base: dst,
                });
            }
            Some(Res::Extern(x)) => {
                // Every use of a module-less `extern` is the runtime error of §19.3; reading
                // the callee first means a call never evaluates its arguments.
                let what = self.cx.checked.externs[x as usize].what.clone();
                let arg = self.alloc();
                let k = self.str_const(&what)?;
                self.emit(Op::LoadConst { dst: arg, k });
                self.call_builtin(Builtin::ExternMissing, dst, arg, 1);
            }
            Some(Res::Builtin(b)) => {
                return Err(CompileError::Unsupported {
                    message: format!("built-in `{}` cannot be used as a value", b.name()),
                    span: e.span,
                });
            }
            Some(Res::Module(_)) => {
                return Err(CompileError::Unsupported {
                    message: format!("module `{name}` cannot be used as a value"),
                    span: e.span,
                });
            }
            None => {
                return Err(CompileError::Unsupported {
                    message: format!("unresolved name `{name}`"),
                    span: e.span,
                });
            }
        }
        Ok(())
    }

    /// `alias.member` read as a value: a constant, or the member's function value.
    fn member_into(
        &mut self,
        member: Member,
        e: &'a ast::Expr,
        dst: Reg,
    ) -> Result<(), CompileError> {
        match member {
            Member::Float(_, f) => {
                let k = self.cx.const_index(ConstValue::Float(f), e.span)?;
                self.emit(Op::LoadConst { dst, k });
            }
            Member::Int(_, i) => self.load_int(i, dst)?,
            Member::Fun(b) => {
                let func = Func(self.cx.member_function(b, e.span));
                self.emit(Op::LoadFunc { dst, func });
            }
        }
        Ok(())
    }

    /// The field site for `name` when `ty` is a struct type that has it.
    pub(crate) fn static_field(&mut self, ty: Option<&Type>, name: &str) -> Option<u32> {
        let Some(Type::Struct(sid)) = ty else {
            return None;
        };
        let info = &self.cx.checked.structs[sid.0 as usize];
        let index = info.fields.iter().position(|(n, _)| n == name)?;
        Some(self.cx.field_site(sid.0, index as u16))
    }

    pub(super) fn get_field(
        &mut self,
        obj: Reg,
        name: &str,
        ty: Option<&Type>,
        dst: Reg,
    ) -> Result<(), CompileError> {
        if let Some(site) = self.static_field(ty, name) {
            self.emit(Op::GetField {
                dst,
                obj,
                field: FieldRef(site),
            });
        } else {
            let k = self.str_const(name)?;
            self.emit(Op::GetFieldDyn { dst, obj, name: k });
        }
        Ok(())
    }

    fn struct_lit(
        &mut self,
        e: &'a ast::Expr,
        fields: &'a [(ast::Ident, ast::Expr)],
        dst: Reg,
    ) -> Result<(), CompileError> {
        let Some(sid) = self.cx.checked.struct_lits.get(&e.id).copied() else {
            self.emit(Op::LoadNone { dst });
            return Ok(());
        };
        let decl_fields: Vec<String> = self.cx.checked.structs[sid.0 as usize]
            .fields
            .iter()
            .map(|(n, _)| n.clone())
            .collect();
        let base = self.alloc_n(decl_fields.len());
        for i in 0..decl_fields.len() {
            self.emit(Op::LoadNone {
                dst: Reg(base.0 + i as u16),
            });
        }
        let mut present = vec![false; decl_fields.len()];
        for (name, value) in fields {
            match decl_fields.iter().position(|f| *f == name.name) {
                Some(i) => {
                    present[i] = true;
                    self.expr_into(value, Reg(base.0 + i as u16))?
                }
                None => {
                    // Unknown field (checker reported it): evaluate for effects only.
                    let t = self.alloc();
                    self.expr_into(value, t)?;
                }
            }
        }
        let sref = self.cx.struct_shape(sid.0, present);
        self.emit(Op::NewStruct {
            dst,
            sref: StructRef(sref),
            base,
        });
        Ok(())
    }

    fn match_expr(
        &mut self,
        target: &'a ast::Expr,
        arms: &'a [ast::MatchArm],
        dst: Reg,
    ) -> Result<(), CompileError> {
        let t = self.alloc();
        self.expr_into(target, t)?;
        let mut ends = Vec::new();
        for arm in arms {
            self.offset = arm.span.start;
            let mark = self.mark();
            let saved: Vec<_> = self.locals.keys().copied().collect();
            let mut skip = None;
            match &arm.pattern.kind {
                PatternKind::Wildcard => {}
                PatternKind::Literal(lit) => {
                    let l = self.expr_reg(lit)?;
                    let c = self.alloc();
                    self.emit(Op::Eq { dst: c, a: t, b: l });
                    skip = Some(self.emit(Op::JumpIfFalse {
                        cond: c,
                        target: Target(0),
                    }));
                }
                PatternKind::Variant { name, binders } => {
                    let sid = self.cx.checked.pattern_variants.get(&name.id).copied();
                    let c = self.alloc();
                    match sid {
                        Some(sid) => {
                            self.emit(Op::IsStruct {
                                dst: c,
                                src: t,
                                sref: StructRef(sid.0),
                            });
                        }
                        None => {
                            // Not a variant name: a tag test that never matches.
                            self.emit(Op::LoadFalse { dst: c });
                        }
                    }
                    skip = Some(self.emit(Op::JumpIfFalse {
                        cond: c,
                        target: Target(0),
                    }));
                    if let (Some(sid), Some(binders)) = (sid, binders) {
                        for (i, b) in binders.iter().enumerate() {
                            let Some(b) = b else { continue };
                            let Some(local) = self.node_local(b.id) else {
                                continue;
                            };
                            let nfields = self.cx.checked.structs[sid.0 as usize].fields.len();
                            let place = self.declare(local);
                            let r = match place {
                                Place::Slot(r) | Place::Cell(r) => r,
                                Place::Upval(_) => continue,
                            };
                            if i < nfields {
                                let site = self.cx.field_site(sid.0, i as u16);
                                self.emit(Op::GetField {
                                    dst: r,
                                    obj: t,
                                    field: FieldRef(site),
                                });
                            } else {
                                self.emit(Op::LoadNone { dst: r });
                            }
                            if matches!(place, Place::Cell(_)) {
                                self.emit(Op::NewCell { dst: r, src: r });
                            }
                        }
                    }
                }
            }
            match &arm.body {
                ArmBody::Expr(x) => self.expr_into(x, dst)?,
                ArmBody::Block(b) => {
                    self.block(b)?;
                    self.emit(Op::LoadNone { dst });
                }
            }
            ends.push(self.emit(Op::Jump { target: Target(0) }));
            if let Some(s) = skip {
                self.patch_here(s);
            }
            let keep: rustc_hash::FxHashSet<_> = saved.into_iter().collect();
            self.locals.retain(|k, _| keep.contains(k));
            self.release(mark);
        }
        self.emit(Op::LoadNone { dst });
        for j in ends {
            self.patch_here(j);
        }
        Ok(())
    }
}
