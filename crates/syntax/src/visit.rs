//! A read-only AST walker: override the `visit_*` methods of [`Visitor`] that matter and
//! call the matching `walk_*` function to descend into children.
//!
//! Used by passes that need facts about whole subtrees (which names a query clause
//! mentions, which calls a function body makes). Children are visited in source order.

use crate::ast::*;

/// Hooks called for every node; the defaults descend into the children.
pub trait Visitor<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        walk_expr(self, e);
    }
    fn visit_stmt(&mut self, s: &'a Stmt) {
        walk_stmt(self, s);
    }
    /// A function declaration (named, nested, method or lambda).
    fn visit_fun(&mut self, f: &'a FunDecl) {
        walk_fun(self, f);
    }
}

pub fn walk_block<'a, V: Visitor<'a> + ?Sized>(v: &mut V, b: &'a Block) {
    for s in &b.stmts {
        v.visit_stmt(s);
    }
}

pub fn walk_fun<'a, V: Visitor<'a> + ?Sized>(v: &mut V, f: &'a FunDecl) {
    match &f.body {
        FunBody::Block(b) => walk_block(v, b),
        FunBody::Expr(e) => v.visit_expr(e),
    }
}

pub fn walk_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, s: &'a Stmt) {
    match &s.kind {
        StmtKind::Let { value, .. } => {
            if let Some(e) = value {
                v.visit_expr(e);
            }
        }
        StmtKind::Assign { target, value } => {
            v.visit_expr(target);
            v.visit_expr(value);
        }
        StmtKind::Expr(e) | StmtKind::Expect(e) | StmtKind::Return(Some(e)) => v.visit_expr(e),
        StmtKind::Fun(f) => v.visit_fun(f),
        StmtKind::Type(t) => {
            if let TypeDeclKind::Struct { methods, .. } = &t.kind {
                for m in methods {
                    v.visit_fun(m);
                }
            }
        }
        StmtKind::If {
            cond,
            then_block,
            else_block,
        } => {
            v.visit_expr(cond);
            walk_block(v, then_block);
            if let Some(b) = else_block {
                walk_block(v, b);
            }
        }
        StmtKind::While { cond, body } => {
            v.visit_expr(cond);
            walk_block(v, body);
        }
        StmtKind::ForRange {
            start, end, body, ..
        } => {
            v.visit_expr(start);
            v.visit_expr(end);
            walk_block(v, body);
        }
        StmtKind::ForIn { iter, body, .. } => {
            v.visit_expr(iter);
            walk_block(v, body);
        }
        StmtKind::Block(b) | StmtKind::Test { body: b, .. } | StmtKind::Bench { body: b, .. } => {
            walk_block(v, b)
        }
        StmtKind::Update(u) => {
            for (k, x) in &u.set {
                v.visit_expr(k);
                v.visit_expr(x);
            }
            if let Some(c) = &u.condition {
                v.visit_expr(c);
            }
        }
        StmtKind::Return(None)
        | StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Import(_)
        | StmtKind::Extern(_) => {}
    }
}

pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, e: &'a Expr) {
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Name(_) => {}
        ExprKind::List(items) => items.iter().for_each(|x| v.visit_expr(x)),
        ExprKind::Map(pairs) => {
            for (k, x) in pairs {
                v.visit_expr(k);
                v.visit_expr(x);
            }
        }
        ExprKind::StructLit { fields, .. } => fields.iter().for_each(|(_, x)| v.visit_expr(x)),
        ExprKind::Unary { expr, .. } => v.visit_expr(expr),
        ExprKind::Binary { lhs, rhs, .. } => {
            v.visit_expr(lhs);
            v.visit_expr(rhs);
        }
        ExprKind::Call { callee, args } => {
            v.visit_expr(callee);
            args.iter().for_each(|x| v.visit_expr(x));
        }
        ExprKind::Index { target, index } => {
            v.visit_expr(target);
            v.visit_expr(index);
        }
        ExprKind::Slice { target, start, end } => {
            v.visit_expr(target);
            for b in [start, end].into_iter().flatten() {
                v.visit_expr(b);
            }
        }
        ExprKind::Field { target, .. } => v.visit_expr(target),
        ExprKind::Cast { expr, .. } => v.visit_expr(expr),
        ExprKind::Lambda(f) => v.visit_fun(f),
        ExprKind::If {
            cond,
            then_expr,
            else_expr,
        } => {
            v.visit_expr(cond);
            v.visit_expr(then_expr);
            if let Some(x) = else_expr {
                v.visit_expr(x);
            }
        }
        ExprKind::Match { target, arms } => {
            v.visit_expr(target);
            for a in arms {
                if let PatternKind::Literal(l) = &a.pattern.kind {
                    v.visit_expr(l);
                }
                match &a.body {
                    ArmBody::Expr(x) => v.visit_expr(x),
                    ArmBody::Block(b) => walk_block(v, b),
                }
            }
        }
        ExprKind::Query(q) => {
            for f in &q.froms {
                v.visit_expr(&f.source);
            }
            for j in &q.joins {
                v.visit_expr(&j.source);
                v.visit_expr(&j.on);
            }
            if let Some(w) = &q.where_clause {
                v.visit_expr(w);
            }
            if let Some(g) = &q.group {
                g.keys.iter().for_each(|k| v.visit_expr(k));
                if let Some(h) = &g.having {
                    v.visit_expr(h);
                }
            }
            for c in [&q.sort, &q.skip, &q.take].into_iter().flatten() {
                v.visit_expr(c);
            }
            v.visit_expr(&q.select);
        }
        ExprKind::Load(l) => {
            if let Some(o) = &l.options {
                v.visit_expr(o);
            }
        }
        ExprKind::Save(s) => {
            v.visit_expr(&s.value);
            if let Some(o) = &s.options {
                v.visit_expr(o);
            }
        }
    }
}
