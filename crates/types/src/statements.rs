//! Passes 2 and 3 and the statements they walk: the top-level statements as the body of
//! `Main`, the bodies of functions and methods (and of nested functions and lambdas where
//! they appear), and the check of each statement.
//!
//! A child module of `checker` (it extends [`Checker`] and reads its private tables), kept
//! in its own file: checking a body and checking a statement call each other (a `fun`
//! statement checks its body, a body checks its statements), so they stay together, apart
//! from the declarations read before any body.

use mochi_syntax::ast::{
    self, Block, Expr, ExprKind, FunBody, FunDecl, Stmt, StmtKind, TypeDeclKind, TypeExpr,
};

use super::{Checker, FnCtx};
use crate::codes;
use crate::ty::{is_dynamic, is_integer};
use crate::{FuncId, FuncKind, Res, StructId, Type};

impl Checker {
    // ----- pass 2: the program body -----

    pub(super) fn check_main(&mut self, stmts: &[Stmt]) {
        // The body's own scope, for the top-level bindings it keeps as locals.
        let locals = crate::top_locals::top_level_locals(stmts);
        self.push_scope();
        for s in stmts {
            match &s.kind {
                StmtKind::Let { name, .. } if locals.contains(&name.name) => self.stmt(s),
                StmtKind::Let {
                    name,
                    mutable: _,
                    ty,
                    value,
                } => {
                    self.require_type_or_value(s);
                    let t = self.binding_type(ty.as_ref(), value.as_ref());
                    let g = match self.all_globals.get(&name.name) {
                        Some(&g) => g,
                        None => continue,
                    };
                    let gi = g.0 as usize;
                    if self.global_set[gi] {
                        // A redeclaration shares the global; a different type makes it dynamic.
                        if self.out.globals[gi].ty != t {
                            self.out.globals[gi].ty = Type::Any;
                        }
                    } else {
                        self.out.globals[gi].ty = t;
                        self.global_set[gi] = true;
                    }
                    self.out.decl_globals.insert(name.id, g);
                    self.visible_globals.insert(name.name.clone(), g);
                }
                StmtKind::Fun(_) | StmtKind::Type(_) => {}
                _ => self.stmt(s),
            }
        }
        self.pop_scope();
    }

    /// Type of a `let`/`var` binding from its annotation and initializer (checks T007).
    /// `let x: T` / `var x: T` start at T's zero value; with neither a type nor a value
    /// there is nothing to start from: T000, as upstream's checker says (§19.5).
    fn require_type_or_value(&mut self, s: &Stmt) {
        if let StmtKind::Let {
            mutable,
            ty: None,
            value: None,
            ..
        } = &s.kind
        {
            let kw = if *mutable { "var" } else { "let" };
            let msg = format!("`{kw}` requires a type or a value");
            self.error(codes::NO_TYPE_OR_VALUE, s.span, msg);
        }
    }

    fn binding_type(&mut self, ann: Option<&TypeExpr>, value: Option<&Expr>) -> Type {
        let ann_t = ann.map(|t| self.resolve_type(t));
        let val_t = value.map(|v| (self.expr(v), v.span));
        match (ann_t, val_t) {
            (Some(a), Some((v, span))) => {
                if !self.assignable(&a, &v) {
                    let msg = format!(
                        "cannot initialize a variable of type {} with a value of type {}",
                        self.show(&a),
                        self.show(&v)
                    );
                    self.error(codes::ASSIGN_TYPE, span, msg);
                }
                a
            }
            (Some(a), None) => a,
            (None, Some((v, _))) => match v {
                Type::Null | Type::Void => Type::Any,
                v => v,
            },
            (None, None) => Type::Any,
        }
    }

    // ----- pass 3: function bodies -----

    pub(super) fn check_top_bodies(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            match &s.kind {
                StmtKind::Fun(fd) => {
                    if let Some(&fid) = self.out.fun_ids.get(&fd.id) {
                        self.check_fun_body(fid, fd, None);
                    }
                }
                StmtKind::Type(td) => {
                    if let TypeDeclKind::Struct { methods, .. } = &td.kind {
                        for m in methods {
                            let Some(&fid) = self.out.fun_ids.get(&m.id) else {
                                continue;
                            };
                            if let FuncKind::Method(sid) = self.out.functions[fid.0 as usize].kind {
                                self.check_fun_body(fid, m, Some(sid));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Checks the body of function `fid` (signature already in `sigs`), declaring its
    /// parameters (and for methods the receiver `self`) as its first locals.
    fn check_fun_body(&mut self, fid: FuncId, decl: &FunDecl, method: Option<StructId>) {
        let sig = self.sigs[fid.0 as usize].clone();
        self.fns.push(FnCtx {
            id: fid,
            ret: sig.ret.clone(),
            ret_annotated: sig.ret_annotated,
            loop_depth: 0,
        });
        self.push_scope();
        let saved_method = self.method;
        let mut params = Vec::new();
        if let Some(sid) = method {
            let self_ident = ast::Ident {
                name: "self".into(),
                span: decl.span,
                id: decl.id,
            };
            let l = self.declare_local(&self_ident, Type::Struct(sid));
            // `decl.id` belongs to the function, not to a declaring identifier.
            self.out.decl_locals.remove(&decl.id);
            params.push(l);
            self.method = Some((sid, l));
        }
        for (p, t) in decl.params.iter().zip(sig.params.iter()) {
            params.push(self.declare_local(&p.name, t.clone()));
        }
        self.out.functions[fid.0 as usize].params = params;
        match &decl.body {
            FunBody::Block(b) => {
                self.predeclare_funs(&b.stmts);
                for s in &b.stmts {
                    self.stmt(s);
                }
            }
            FunBody::Expr(e) => {
                let t = self.expr(e);
                if sig.ret_annotated {
                    if !self.assignable(&sig.ret, &t) {
                        let msg = format!(
                            "function returns {} but its body has type {}",
                            self.show(&sig.ret),
                            self.show(&t)
                        );
                        self.error(codes::RETURN_TYPE, e.span, msg);
                    }
                } else {
                    let t = match t {
                        Type::Null => Type::Any,
                        t => t,
                    };
                    self.out.functions[fid.0 as usize].ret = t.clone();
                    self.sigs[fid.0 as usize].ret = t;
                }
            }
        }
        self.method = saved_method;
        self.pop_scope();
        self.fns.pop();
    }

    /// Nested named functions of a block are bound from the start of the block, so
    /// siblings may call each other (and themselves).
    fn predeclare_funs(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            if let StmtKind::Fun(fd) = &s.kind {
                let Some(name) = &fd.name else { continue };
                let fid = self.new_func(
                    name.name.clone(),
                    FuncKind::Nested,
                    fd.id,
                    Some(self.cur_fn()),
                );
                let sig = self.signature(fd);
                self.out.functions[fid.0 as usize].ret = sig.ret.clone();
                let fty = Type::Fun(sig.params.clone(), Box::new(sig.ret.clone()));
                self.sigs[fid.0 as usize] = sig;
                self.declare_local(name, fty);
            }
        }
    }

    /// Checks an anonymous function; returns its type.
    pub(crate) fn lambda(&mut self, fd: &FunDecl) -> Type {
        let fid = self.new_func(
            "<lambda>".into(),
            FuncKind::Lambda,
            fd.id,
            Some(self.cur_fn()),
        );
        let sig = self.signature(fd);
        self.out.functions[fid.0 as usize].ret = sig.ret.clone();
        self.sigs[fid.0 as usize] = sig;
        self.check_fun_body(fid, fd, None);
        let sig = &self.sigs[fid.0 as usize];
        Type::Fun(sig.params.clone(), Box::new(sig.ret.clone()))
    }

    // ----- statements -----

    pub(crate) fn block(&mut self, b: &Block) {
        self.push_scope();
        self.predeclare_funs(&b.stmts);
        for s in &b.stmts {
            self.stmt(s);
        }
        self.pop_scope();
    }

    fn loop_body(&mut self, b: &Block) {
        if let Some(f) = self.fns.last_mut() {
            f.loop_depth += 1;
        }
        self.block(b);
        if let Some(f) = self.fns.last_mut() {
            f.loop_depth -= 1;
        }
    }

    pub(crate) fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let {
                name, ty, value, ..
            } => {
                self.require_type_or_value(s);
                let t = self.binding_type(ty.as_ref(), value.as_ref());
                self.declare_local(name, t);
            }
            StmtKind::Assign { target, value } => self.assign(target, value),
            StmtKind::Expr(e) => {
                self.expr(e);
            }
            StmtKind::Fun(fd) => {
                // Declared by `predeclare_funs`; a `fun` reached any other way is checked here.
                let fid = match self.out.fun_ids.get(&fd.id) {
                    Some(&f) => f,
                    None => {
                        self.predeclare_funs(std::slice::from_ref(s));
                        match self.out.fun_ids.get(&fd.id) {
                            Some(&f) => f,
                            None => return,
                        }
                    }
                };
                self.check_fun_body(fid, fd, None);
            }
            StmtKind::Type(_) => {}
            StmtKind::Return(value) => {
                let t = value.as_ref().map(|v| (self.expr(v), v.span));
                let (ret, annotated, is_main) = match self.fns.last() {
                    Some(f) => (f.ret.clone(), f.ret_annotated, f.id == FuncId(0)),
                    None => (Type::Any, false, true),
                };
                // A top-level `return` ends the program; it is accepted. A function declared
                // to return `unit` returns no value (`none` and unit calls are no value).
                let gives_value = |t: &Type| !matches!(t, Type::Void | Type::Null);
                if let (Some((t, span)), true, false) = (t, annotated, is_main)
                    && (!self.assignable(&ret, &t) || (ret == Type::Void && gives_value(&t)))
                {
                    let (code, msg) = if ret == Type::Void {
                        let msg = format!(
                            "this function returns no value (unit) but `return` gives a value \
                             of type {}",
                            self.show(&t)
                        );
                        (codes::UNIT_RETURN, msg)
                    } else {
                        let msg = format!(
                            "this function returns {} but the value has type {}",
                            self.show(&ret),
                            self.show(&t)
                        );
                        (codes::RETURN_TYPE, msg)
                    };
                    self.error(code, span, msg);
                }
            }
            StmtKind::If {
                cond,
                then_block,
                else_block,
            } => {
                self.expr(cond);
                self.block(then_block);
                if let Some(b) = else_block {
                    self.block(b);
                }
            }
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.loop_body(body);
            }
            StmtKind::ForRange {
                var,
                start,
                end,
                body,
            } => {
                for bound in [start, end] {
                    let t = self.expr(bound);
                    if !is_integer(&t) && !is_dynamic(&t) {
                        let msg = format!("a range bound must be an int, not {}", self.show(&t));
                        self.error(codes::RANGE_BOUND, bound.span, msg);
                    }
                }
                self.push_scope();
                self.declare_local(var, Type::Int);
                self.loop_body(body);
                self.pop_scope();
            }
            StmtKind::ForIn { var, iter, body } => {
                let t = self.expr(iter);
                let elem = match &t {
                    Type::List(e) => (**e).clone(),
                    Type::Str => Type::Str,
                    Type::Map(k, _) => (**k).clone(),
                    Type::Group(g) => g.item.clone(),
                    t if is_dynamic(t) => Type::Any,
                    t => {
                        let msg = format!("cannot iterate over a value of type {}", self.show(t));
                        self.error(codes::NOT_ITERABLE, iter.span, msg);
                        Type::Any
                    }
                };
                self.push_scope();
                self.declare_local(var, elem);
                self.loop_body(body);
                self.pop_scope();
            }
            StmtKind::Break | StmtKind::Continue => {
                if self.fns.last().map(|f| f.loop_depth).unwrap_or(0) == 0 {
                    let word = if matches!(s.kind, StmtKind::Break) {
                        "break"
                    } else {
                        "continue"
                    };
                    self.error(
                        codes::OUTSIDE_LOOP,
                        s.span,
                        format!("`{word}` outside of a loop"),
                    );
                }
            }
            StmtKind::Block(b) => self.block(b),
            StmtKind::Test { body, .. } | StmtKind::Bench { body, .. } => self.block(body),
            // Declared in pass 1 (`declare_foreign`).
            StmtKind::Import(_) | StmtKind::Extern(_) => {}
            StmtKind::Expect(e) => {
                self.expr(e);
            }
            StmtKind::Update(u) => self.update_stmt(u),
        }
    }

    fn assign(&mut self, target: &Expr, value: &Expr) {
        let target_t = match &target.kind {
            ExprKind::Name(name) => match self.lookup(name) {
                Some((Res::Local(l), _)) if self.is_query_var(l) => {
                    self.error(
                        codes::NOT_ASSIGNABLE,
                        target.span,
                        format!("cannot assign to query variable `{name}`"),
                    );
                    Type::Any
                }
                Some((res @ (Res::Local(_) | Res::Global(_) | Res::SelfField(_)), t)) => {
                    if let Res::Local(l) = res {
                        self.out.locals[l.0 as usize].assigned = true;
                    }
                    self.out.resolutions.insert(target.id, res);
                    t
                }
                Some((res, _)) => {
                    self.out.resolutions.insert(target.id, res);
                    self.error(
                        codes::NOT_ASSIGNABLE,
                        target.span,
                        format!("cannot assign to `{name}`: it is not a variable"),
                    );
                    Type::Any
                }
                None => {
                    self.error(
                        codes::UNDEFINED_NAME,
                        target.span,
                        format!("undefined name `{name}`"),
                    );
                    Type::Any
                }
            },
            ExprKind::Field {
                target: module,
                name,
            } if self.module_member_target(module) => {
                self.error(
                    codes::NOT_ASSIGNABLE,
                    target.span,
                    format!(
                        "cannot assign to `{}`: module members are read-only",
                        name.name
                    ),
                );
                Type::Any
            }
            _ => self.expr(target),
        };
        self.set_type(target.id, target_t.clone());
        let value_t = self.expr(value);
        if !self.assignable(&target_t, &value_t) {
            let msg = format!(
                "cannot assign a value of type {} to a target of type {}",
                self.show(&value_t),
                self.show(&target_t)
            );
            self.error(codes::ASSIGN_TYPE, value.span, msg);
        }
    }
}
