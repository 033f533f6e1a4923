//! Statements: declarations, assignment, control flow.

use mochi_syntax::ast::{self, ExprKind, StmtKind};
use mochi_types::{Builtin, Res, Type};

use super::{CompileError, FnBuilder, Place};
use crate::ops::{Count, Func, Global, Imm, Op, Reg, Target};

impl<'c, 'a> FnBuilder<'c, 'a> {
    pub(crate) fn block(&mut self, b: &'a ast::Block) -> Result<(), CompileError> {
        let mark = self.mark();
        let saved = self.locals_snapshot();
        let mut pending = self.predeclare_funs(&b.stmts)?;
        for s in &b.stmts {
            self.stmt(s)?;
            self.make_ready_funs(&mut pending)?;
        }
        self.restore_locals(saved);
        self.release(mark);
        Ok(())
    }

    /// Nested named functions are bound from the start of their block, so siblings can
    /// call each other: declare their variables (as cells when captured) up front. Then
    /// make the closures of those that capture only what exists already (outer locals,
    /// sibling functions): LANGUAGE.md §2 hoists `fun` declarations, so a call before the
    /// declaring line finds the function. Returns the others, each to be made as soon as
    /// the locals it captures are declared ([`Self::make_ready_funs`] after each
    /// statement), at its own line at the latest.
    pub(crate) fn predeclare_funs(
        &mut self,
        stmts: &'a [ast::Stmt],
    ) -> Result<Vec<&'a ast::FunDecl>, CompileError> {
        for s in stmts {
            if let StmtKind::Fun(decl) = &s.kind
                && let Some(local) = decl.name.as_ref().and_then(|n| self.node_local(n.id))
                && !self.locals.contains_key(&local)
                && let Place::Cell(r) = self.declare(local)
            {
                self.emit(Op::LoadNone { dst: r });
                self.emit(Op::NewCell { dst: r, src: r });
            }
        }
        let mut pending: Vec<&'a ast::FunDecl> = (stmts.iter())
            .filter_map(|s| match &s.kind {
                StmtKind::Fun(decl) => Some(decl),
                _ => None,
            })
            .collect();
        self.make_ready_funs(&mut pending)?;
        Ok(pending)
    }

    /// Makes the closures of the `pending` nested functions whose captured locals are all
    /// declared by now, and drops them from `pending`.
    pub(crate) fn make_ready_funs(
        &mut self,
        pending: &mut Vec<&'a ast::FunDecl>,
    ) -> Result<(), CompileError> {
        let mut i = 0;
        while i < pending.len() {
            let decl = pending[i];
            let ready = match self.cx.checked.fun_ids.get(&decl.id) {
                Some(fid) => (self.cx.checked.functions[fid.0 as usize].captures.iter())
                    .all(|&l| self.place_of(l).is_some()),
                None => false,
            };
            if ready && !self.hoisted.contains(&decl.id) {
                self.fun_stmt(decl)?;
                self.hoisted.insert(decl.id);
                pending.swap_remove(i);
            } else {
                i += 1;
            }
        }
        Ok(())
    }

    /// Binds nested function `decl` to its variable.
    fn fun_stmt(&mut self, decl: &'a ast::FunDecl) -> Result<(), CompileError> {
        let Some(local) = decl.name.as_ref().and_then(|n| self.node_local(n.id)) else {
            return Ok(());
        };
        let place = match self.locals.get(&local) {
            Some(p) => *p,
            None => {
                let p = self.declare(local);
                if let Place::Cell(r) = p {
                    self.emit(Op::LoadNone { dst: r });
                    self.emit(Op::NewCell { dst: r, src: r });
                }
                p
            }
        };
        let fid = self.cx.checked.fun_ids.get(&decl.id).copied();
        match place {
            Place::Cell(r) => {
                // The cell exists before the closure, which may refer to itself.
                let mark = self.mark();
                let t = self.alloc();
                if let Some(fid) = fid {
                    self.closure_into(fid, t)?;
                }
                self.emit(Op::StoreCell { cell: r, src: t });
                self.release(mark);
            }
            Place::Slot(r) => {
                if let Some(fid) = fid {
                    self.closure_into(fid, r)?;
                }
            }
            Place::Upval(_) => {}
        }
        Ok(())
    }

    fn locals_snapshot(&self) -> Vec<mochi_types::LocalId> {
        self.locals.keys().copied().collect()
    }

    fn restore_locals(&mut self, keep: Vec<mochi_types::LocalId>) {
        let keep: rustc_hash::FxHashSet<_> = keep.into_iter().collect();
        self.locals.retain(|k, _| keep.contains(k));
    }

    pub(crate) fn stmt(&mut self, s: &'a ast::Stmt) -> Result<(), CompileError> {
        self.offset = s.span.start;
        match &s.kind {
            StmtKind::Let {
                name, value, ty: _, ..
            } => self.let_stmt(name, value.as_ref()),
            StmtKind::Assign { target, value } => self.assign(target, value),
            StmtKind::Expr(e) => {
                let mark = self.mark();
                let r = self.alloc();
                self.expr_into(e, r)?;
                self.release(mark);
                Ok(())
            }
            StmtKind::Fun(decl) => match self.hoisted.insert(decl.id) {
                true => self.fun_stmt(decl),
                false => Ok(()), // made earlier (`make_ready_funs`)
            },
            StmtKind::Type(_) => Ok(()),
            StmtKind::Return(value) => {
                match value {
                    Some(e) => {
                        let mark = self.mark();
                        let r = self.expr_reg(e)?;
                        self.emit(Op::Return { src: r });
                        self.release(mark);
                    }
                    None => {
                        self.emit(Op::ReturnNone {});
                    }
                }
                Ok(())
            }
            StmtKind::If {
                cond,
                then_block,
                else_block,
            } => {
                let jf = self.cond_jump_false(cond)?;
                self.block(then_block)?;
                match else_block {
                    Some(b) => {
                        let j = self.emit(Op::Jump { target: Target(0) });
                        self.patch_all_here(&jf);
                        self.block(b)?;
                        self.patch_here(j);
                    }
                    None => self.patch_all_here(&jf),
                }
                Ok(())
            }
            StmtKind::While { cond, body } => {
                let head = self.here();
                let jf = self.cond_jump_false(cond)?;
                self.push_loop();
                self.block(body)?;
                self.jump_to(head);
                self.pop_loop(head);
                self.patch_all_here(&jf);
                Ok(())
            }
            StmtKind::ForRange {
                var,
                start,
                end,
                body,
            } => self.for_range(var, start, end, body),
            StmtKind::ForIn { var, iter, body } => self.for_in(var, iter, body),
            StmtKind::Break => {
                self.add_break();
                Ok(())
            }
            StmtKind::Continue => {
                self.add_continue();
                Ok(())
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::Test { name, body } => {
                if self.func.0 == 0 {
                    let index = self.cx.add_test(name, body, s.span);
                    if !self.cx.options.skip_tests_in_main {
                        let mark = self.mark();
                        let dst = self.alloc();
                        let base = self.alloc_window(0);
                        self.emit(Op::Call {
                            dst,
                            func: Func(index),
                            base,
                            nargs: Count(0),
                        });
                        self.release(mark);
                    }
                    Ok(())
                } else {
                    self.block(body)
                }
            }
            StmtKind::Expect(e) => {
                let mark = self.mark();
                let r = self.expr_reg(e)?;
                self.emit(Op::Expect { src: r });
                self.release(mark);
                Ok(())
            }
            StmtKind::Update(u) => self.update(u),
            StmtKind::Bench { name, body } => self.bench(name, body),
            // Resolved by the checker; nothing runs.
            StmtKind::Import(_) | StmtKind::Extern(_) => Ok(()),
        }
    }

    /// `bench "name" { body }` (LANGUAGE.md §19.2): the allocation counter and the clock
    /// before the body, the report after it. Leaving the body by `return`, `break`,
    /// `continue` or an error skips the report.
    fn bench(&mut self, name: &str, body: &'a ast::Block) -> Result<(), CompileError> {
        let mark = self.mark();
        let memory = self.alloc();
        let clock = self.alloc();
        self.call_builtin(Builtin::BenchMemory, memory, memory, 0);
        self.call_builtin(Builtin::BenchClock, clock, clock, 0);
        self.block(body)?;
        let args = self.alloc_n(3);
        let k = self.str_const(name)?;
        self.emit(Op::LoadConst { dst: args, k });
        self.emit(Op::Move {
            dst: Reg(args.0 + 1),
            src: clock,
        });
        self.emit(Op::Move {
            dst: Reg(args.0 + 2),
            src: memory,
        });
        self.call_builtin(Builtin::BenchReport, args, args, 3);
        self.release(mark);
        Ok(())
    }

    fn let_stmt(
        &mut self,
        name: &'a ast::Ident,
        value: Option<&'a ast::Expr>,
    ) -> Result<(), CompileError> {
        if let Some(g) = self.cx.checked.decl_globals.get(&name.id).copied() {
            let mark = self.mark();
            let r = self.alloc();
            match value {
                Some(v) => self.expr_into(v, r)?,
                None => {
                    let ty = self.cx.checked.globals[g.0 as usize].ty.clone();
                    self.default_value(&ty, r)?
                }
            }
            self.emit(Op::StoreGlobal {
                g: Global(g.0),
                src: r,
            });
            self.release(mark);
            return Ok(());
        }
        let Some(local) = self.node_local(name.id) else {
            return Ok(());
        };
        // Evaluate the initializer before the name is in scope (`let x = x + 1` shadows).
        let mark = self.mark();
        let tmp = self.alloc();
        match value {
            Some(v) => self.expr_into(v, tmp)?,
            None => {
                let ty = self.local_type(local).clone();
                self.default_value(&ty, tmp)?
            }
        }
        self.release(mark);
        let place = self.declare(local);
        match place {
            Place::Slot(r) => {
                if r != tmp {
                    self.emit(Op::Move { dst: r, src: tmp });
                }
            }
            Place::Cell(r) => {
                self.emit(Op::NewCell { dst: r, src: tmp });
            }
            Place::Upval(_) => {}
        }
        Ok(())
    }

    /// The starting value of `let x: T` / `var x: T` without an initializer: the zero value
    /// of `T` (LANGUAGE.md §4, §19.5), `none` for types without one.
    pub(crate) fn default_value(&mut self, ty: &Type, dst: Reg) -> Result<(), CompileError> {
        match ty {
            Type::Int | Type::BigInt => {
                self.emit(Op::LoadInt { dst, imm: Imm(0) });
            }
            Type::Float => {
                let k = self
                    .cx
                    .const_index(crate::program::ConstValue::Float(0.0), self.span)?;
                self.emit(Op::LoadConst { dst, k });
            }
            Type::Str => {
                let k = self.str_const("")?;
                self.emit(Op::LoadConst { dst, k });
            }
            Type::Bool => {
                self.emit(Op::LoadFalse { dst });
            }
            Type::List(_) => {
                self.emit(Op::NewList {
                    dst,
                    base: dst,
                    n: Count(0),
                });
            }
            Type::Map(_, _) => {
                self.emit(Op::NewMap {
                    dst,
                    base: dst,
                    n: Count(0),
                });
            }
            Type::BigRat => {
                self.emit(Op::LoadInt { dst, imm: Imm(0) });
                self.emit(Op::Cast {
                    dst,
                    src: dst,
                    ty: crate::ops::CastTy::BigRat,
                });
            }
            _ => {
                self.emit(Op::LoadNone { dst });
            }
        }
        Ok(())
    }

    fn assign(&mut self, target: &'a ast::Expr, value: &'a ast::Expr) -> Result<(), CompileError> {
        match &target.kind {
            ExprKind::Name(_) => {
                let res = self.cx.checked.resolutions.get(&target.id).cloned();
                match res {
                    Some(Res::Local(l)) => match self.place_of(l) {
                        Some(Place::Slot(r)) => {
                            if let Some((owner, v)) = self.owned_append(l, value) {
                                let mark = self.mark();
                                let val = self.expr_reg(v)?;
                                self.emit(Op::AppendOwned {
                                    dst: r,
                                    list: r,
                                    val,
                                    owner,
                                });
                                self.emit(Op::Move { dst: owner, src: r });
                                self.release(mark);
                            } else if let Some((owner, v)) = self.owned_add(l, value) {
                                // `list.add_owned(xs, v, owner)`: in place when `xs` is still
                                // the owned object, else `xs + [v]`, a fresh list.
                                let mark = self.mark();
                                let base = self.alloc_window(3);
                                self.emit(Op::Move { dst: base, src: r });
                                self.expr_into(v, Reg(base.0 + 1))?;
                                self.emit(Op::Move {
                                    dst: Reg(base.0 + 2),
                                    src: owner,
                                });
                                self.call_builtin(Builtin::ListAddOwned, r, base, 3);
                                self.emit(Op::Move { dst: owner, src: r });
                                self.release(mark);
                            } else if let Some((owner, start, end)) = self.owned_slice(l, value) {
                                // `list.slice_owned(xs, start, end, owner)`: in place when
                                // `xs` is still the owned object, else a fresh list, which
                                // nothing else holds either: the local owns the result.
                                let mark = self.mark();
                                let base = self.alloc_window(4);
                                self.emit(Op::Move { dst: base, src: r });
                                for (k, bound) in [start, end].into_iter().enumerate() {
                                    let dst = Reg(base.0 + 1 + k as u16);
                                    match bound {
                                        Some(e) => self.expr_into(e, dst)?,
                                        None => {
                                            self.emit(Op::LoadNone { dst });
                                        }
                                    }
                                }
                                self.emit(Op::Move {
                                    dst: Reg(base.0 + 3),
                                    src: owner,
                                });
                                self.call_builtin(Builtin::ListSliceOwned, r, base, 4);
                                self.emit(Op::Move { dst: owner, src: r });
                                self.release(mark);
                            } else if self.safe_direct_target(value) {
                                self.expr_into(value, r)?;
                            } else {
                                let mark = self.mark();
                                let t = self.alloc();
                                self.expr_into(value, t)?;
                                self.emit(Op::Move { dst: r, src: t });
                                self.release(mark);
                            }
                        }
                        Some(Place::Cell(c)) => {
                            let mark = self.mark();
                            let t = self.expr_reg(value)?;
                            self.emit(Op::StoreCell { cell: c, src: t });
                            self.release(mark);
                        }
                        Some(Place::Upval(u)) => {
                            let mark = self.mark();
                            let t = self.expr_reg(value)?;
                            self.emit(Op::StoreUpval {
                                up: crate::ops::Upval(u),
                                src: t,
                            });
                            self.release(mark);
                        }
                        None => {}
                    },
                    Some(Res::Global(g)) => {
                        let mark = self.mark();
                        let t = self.expr_reg(value)?;
                        self.emit(Op::StoreGlobal {
                            g: Global(g.0),
                            src: t,
                        });
                        self.release(mark);
                    }
                    Some(Res::SelfField(name)) => {
                        let mark = self.mark();
                        let recv = self.self_reg()?;
                        let t = self.expr_reg(value)?;
                        self.set_field_by_name(recv, &name, None, t)?;
                        self.release(mark);
                    }
                    _ => {}
                }
                Ok(())
            }
            ExprKind::Index { target: obj, index } => {
                let mark = self.mark();
                let o = self.expr_reg(obj)?;
                let i = self.expr_reg(index)?;
                let v = self.expr_reg(value)?;
                let list_int =
                    matches!(self.ty(obj), Type::List(_)) && matches!(self.ty(index), Type::Int);
                if list_int {
                    self.emit(Op::SetIndexList {
                        obj: o,
                        idx: i,
                        src: v,
                    });
                } else {
                    self.emit(Op::SetIndex {
                        obj: o,
                        idx: i,
                        src: v,
                    });
                }
                self.release(mark);
                Ok(())
            }
            ExprKind::Field { target: obj, name } => {
                let mark = self.mark();
                let o = self.expr_reg(obj)?;
                let v = self.expr_reg(value)?;
                let sty = self.ty(obj).clone();
                self.set_field_by_name(o, &name.name, Some(&sty), v)?;
                self.release(mark);
                Ok(())
            }
            _ => Err(CompileError::Unsupported {
                message: "invalid assignment target".into(),
                span: target.span,
            }),
        }
    }

    fn set_field_by_name(
        &mut self,
        obj: Reg,
        name: &str,
        ty: Option<&Type>,
        src: Reg,
    ) -> Result<(), CompileError> {
        if let Some(site) = self.static_field(ty, name) {
            self.emit(Op::SetField {
                obj,
                field: crate::ops::FieldRef(site),
                src,
            });
        } else {
            let k = self.str_const(name)?;
            self.emit(Op::SetFieldDyn { obj, name: k, src });
        }
        Ok(())
    }

    /// Whether `value` may be compiled straight into the variable it is assigned to: true
    /// for expressions that read all their operands before writing `dst` once.
    fn safe_direct_target(&self, value: &ast::Expr) -> bool {
        !matches!(
            value.kind,
            ExprKind::If { .. }
                | ExprKind::Match { .. }
                | ExprKind::Binary {
                    op: ast::BinOp::And | ast::BinOp::Or | ast::BinOp::Coalesce,
                    ..
                }
        )
    }

    fn for_range(
        &mut self,
        var: &'a ast::Ident,
        start: &'a ast::Expr,
        end: &'a ast::Expr,
        body: &'a ast::Block,
    ) -> Result<(), CompileError> {
        let mark = self.mark();
        let counter = self.alloc();
        let limit = self.alloc();
        self.expr_into(start, counter)?;
        self.expr_into(end, limit)?;
        let exit = self.emit(Op::LtI64JumpIfFalse {
            a: counter,
            b: limit,
            target: Target(0),
        });
        let top = self.here();
        let saved = self.locals_snapshot();
        let inner = self.mark();
        if let Some(local) = self.node_local(var.id) {
            let info = &self.cx.checked.locals[local.0 as usize];
            if !info.captured && !info.assigned {
                // Nothing writes the variable: it is the counter, and each iteration saves
                // a `Move` (a dispatch in the interpreter, a load and a store stitched).
                self.locals.insert(local, Place::Slot(counter));
            } else {
                match self.declare(local) {
                    Place::Slot(r) => {
                        self.emit(Op::Move {
                            dst: r,
                            src: counter,
                        });
                    }
                    Place::Cell(r) => {
                        self.emit(Op::NewCell {
                            dst: r,
                            src: counter,
                        });
                    }
                    Place::Upval(_) => {}
                }
            }
        }
        self.push_loop();
        self.block(body)?;
        let step = self.here();
        self.emit(Op::ForStepI64 {
            counter,
            end: limit,
            target: Target(top),
        });
        self.pop_loop(step);
        self.patch_here(exit);
        self.restore_locals(saved);
        self.release(inner);
        self.release(mark);
        Ok(())
    }

    fn for_in(
        &mut self,
        var: &'a ast::Ident,
        iter: &'a ast::Expr,
        body: &'a ast::Block,
    ) -> Result<(), CompileError> {
        let mark = self.mark();
        let seq = self.alloc();
        let idx = self.alloc();
        let len = self.alloc();
        let is_list = matches!(self.ty(iter), Type::List(_));
        if is_list {
            self.expr_into(iter, seq)?;
        } else {
            let src = self.expr_reg(iter)?;
            self.emit(Op::IterPrep { dst: seq, src });
        }
        self.emit(Op::LoadInt {
            dst: idx,
            imm: Imm(0),
        });
        let head = self.here();
        self.emit(Op::Len { dst: len, src: seq });
        let exit = self.emit(Op::LtI64JumpIfFalse {
            a: idx,
            b: len,
            target: Target(0),
        });
        let saved = self.locals_snapshot();
        let inner = self.mark();
        if let Some(local) = self.node_local(var.id) {
            match self.declare(local) {
                Place::Slot(r) => {
                    self.emit(Op::IndexList {
                        dst: r,
                        obj: seq,
                        idx,
                    });
                }
                Place::Cell(r) => {
                    self.emit(Op::IndexList {
                        dst: r,
                        obj: seq,
                        idx,
                    });
                    self.emit(Op::NewCell { dst: r, src: r });
                }
                Place::Upval(_) => {}
            }
        }
        self.push_loop();
        self.block(body)?;
        let step = self.here();
        self.emit(Op::AddI64Imm {
            dst: idx,
            a: idx,
            imm: Imm(1),
        });
        self.jump_to(head);
        self.pop_loop(step);
        self.patch_here(exit);
        self.restore_locals(saved);
        self.release(inner);
        self.release(mark);
        Ok(())
    }
}
