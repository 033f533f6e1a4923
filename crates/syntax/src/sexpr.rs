//! Compact S-expression dump of the AST, for tests and debugging (`mochi dump-ast`-style
//! tools). Not a stable format.
//!
//! `a + b * -c` prints as `(+ a (* b (neg c)))`; statements print one per line at top level.

use std::fmt::Write;

use crate::ast::*;

/// One line per top-level statement.
pub fn program(p: &Program) -> String {
    let mut out = String::new();
    for s in &p.stmts {
        stmt(&mut out, s);
        out.push('\n');
    }
    out
}

/// One expression.
pub fn expr_to_string(e: &Expr) -> String {
    let mut out = String::new();
    expr(&mut out, e);
    out
}

fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::And => "&&",
        BinOp::Or => "||",
        BinOp::In => "in",
        BinOp::Coalesce => "??",
        BinOp::Union => "union",
        BinOp::UnionAll => "union-all",
        BinOp::Except => "except",
        BinOp::Intersect => "intersect",
    }
}

pub fn ty(out: &mut String, t: &TypeExpr) {
    match &t.kind {
        TypeExprKind::Named { name, args } => {
            out.push_str(name);
            if !args.is_empty() {
                out.push('<');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    ty(out, a);
                }
                out.push('>');
            }
        }
        TypeExprKind::Fun { params, ret } => {
            out.push_str("fun(");
            for (i, a) in params.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ty(out, a);
            }
            out.push(')');
            if let Some(r) = ret {
                out.push(':');
                ty(out, r);
            }
        }
    }
}

fn opt_ty(out: &mut String, t: &Option<TypeExpr>) {
    match t {
        Some(t) => ty(out, t),
        None => out.push('_'),
    }
}

fn block(out: &mut String, b: &Block) {
    out.push_str("(block");
    for s in &b.stmts {
        out.push(' ');
        stmt(out, s);
    }
    out.push(')');
}

fn fun(out: &mut String, f: &FunDecl) {
    out.push_str("(fun ");
    if let Some(n) = &f.name {
        out.push_str(&n.name);
        out.push(' ');
    }
    out.push('(');
    for (i, p) in f.params.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&p.name.name);
        out.push(':');
        opt_ty(out, &p.ty);
    }
    out.push_str(") ");
    opt_ty(out, &f.ret);
    out.push(' ');
    match &f.body {
        FunBody::Block(b) => block(out, b),
        FunBody::Expr(e) => {
            out.push_str("=> ");
            expr(out, e);
        }
    }
    out.push(')');
}

fn fields(out: &mut String, fs: &[FieldDecl]) {
    for f in fs {
        let _ = write!(out, " ({} ", f.name.name);
        ty(out, &f.ty);
        out.push(')');
    }
}

pub fn stmt(out: &mut String, s: &Stmt) {
    match &s.kind {
        StmtKind::Let {
            name,
            mutable,
            ty: t,
            value,
        } => {
            let _ = write!(
                out,
                "({} {} ",
                if *mutable { "var" } else { "let" },
                name.name
            );
            opt_ty(out, t);
            if let Some(v) = value {
                out.push(' ');
                expr(out, v);
            }
            out.push(')');
        }
        StmtKind::Assign { target, value } => {
            out.push_str("(= ");
            expr(out, target);
            out.push(' ');
            expr(out, value);
            out.push(')');
        }
        StmtKind::Expr(e) => expr(out, e),
        StmtKind::Fun(f) => fun(out, f),
        StmtKind::Type(t) => {
            let _ = write!(out, "(type {} ", t.name.name);
            match &t.kind {
                TypeDeclKind::Struct {
                    fields: fs,
                    methods,
                } => {
                    out.push_str("(struct");
                    fields(out, fs);
                    for m in methods {
                        out.push(' ');
                        fun(out, m);
                    }
                    out.push(')');
                }
                TypeDeclKind::Union { variants } => {
                    out.push_str("(union");
                    for v in variants {
                        let _ = write!(out, " ({}", v.name.name);
                        fields(out, &v.fields);
                        out.push(')');
                    }
                    out.push(')');
                }
                TypeDeclKind::Alias(t) => {
                    out.push_str("(alias ");
                    ty(out, t);
                    out.push(')');
                }
            }
            out.push(')');
        }
        StmtKind::Return(e) => {
            out.push_str("(return");
            if let Some(e) = e {
                out.push(' ');
                expr(out, e);
            }
            out.push(')');
        }
        StmtKind::If {
            cond,
            then_block,
            else_block,
        } => {
            out.push_str("(if ");
            expr(out, cond);
            out.push(' ');
            block(out, then_block);
            if let Some(b) = else_block {
                out.push(' ');
                block(out, b);
            }
            out.push(')');
        }
        StmtKind::While { cond, body } => {
            out.push_str("(while ");
            expr(out, cond);
            out.push(' ');
            block(out, body);
            out.push(')');
        }
        StmtKind::ForRange {
            var,
            start,
            end,
            body,
        } => {
            let _ = write!(out, "(for {} ", var.name);
            expr(out, start);
            out.push_str(" .. ");
            expr(out, end);
            out.push(' ');
            block(out, body);
            out.push(')');
        }
        StmtKind::ForIn { var, iter, body } => {
            let _ = write!(out, "(for {} in ", var.name);
            expr(out, iter);
            out.push(' ');
            block(out, body);
            out.push(')');
        }
        StmtKind::Break => out.push_str("(break)"),
        StmtKind::Continue => out.push_str("(continue)"),
        StmtKind::Block(b) => block(out, b),
        StmtKind::Test { name, body } => {
            let _ = write!(out, "(test {name:?} ");
            block(out, body);
            out.push(')');
        }
        StmtKind::Expect(e) => {
            out.push_str("(expect ");
            expr(out, e);
            out.push(')');
        }
        StmtKind::Update(u) => {
            let _ = write!(out, "(update {}", u.target.name);
            for (k, v) in &u.set {
                out.push_str(" (");
                expr(out, k);
                out.push(' ');
                expr(out, v);
                out.push(')');
            }
            clause(out, "where", u.condition.as_ref());
            out.push(')');
        }
        StmtKind::Bench { name, body } => {
            let _ = write!(out, "(bench {name:?} ");
            block(out, body);
            out.push(')');
        }
        StmtKind::Import(i) => {
            let lang = i.lang.as_ref().map_or("_", |l| l.name.as_str());
            let _ = write!(out, "(import {lang} {:?} {})", i.path, i.alias.name);
        }
        StmtKind::Extern(x) => {
            let path: Vec<&str> = x.path.iter().map(|p| p.name.as_str()).collect();
            let _ = write!(out, "(extern {}", path.join("."));
            match &x.kind {
                ExternKind::Fun { params: ps, ret } => {
                    out.push_str(" (");
                    for (i, p) in ps.iter().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        out.push_str(&p.name.name);
                        if let Some(t) = &p.ty {
                            out.push(':');
                            ty(out, t);
                        }
                    }
                    out.push_str(") ");
                    match ret {
                        Some(t) => ty(out, t),
                        None => out.push('_'),
                    }
                }
                ExternKind::Var { mutable, ty: t } => {
                    out.push_str(if *mutable { " var " } else { " let " });
                    ty(out, t);
                }
                ExternKind::Opaque => out.push_str(" opaque"),
            }
            out.push(')');
        }
    }
}

/// ` (WORD e)` when the clause is present.
fn clause(out: &mut String, word: &str, e: Option<&Expr>) {
    if let Some(e) = e {
        let _ = write!(out, " ({word} ");
        expr(out, e);
        out.push(')');
    }
}

fn query(out: &mut String, q: &Query) {
    out.push_str("(query");
    for f in &q.froms {
        let _ = write!(out, " (from {} ", f.var.name);
        expr(out, &f.source);
        out.push(')');
    }
    for j in &q.joins {
        let kind = match j.kind {
            JoinKind::Inner => "join",
            JoinKind::Left => "left-join",
            JoinKind::Right => "right-join",
            JoinKind::Outer => "outer-join",
        };
        let _ = write!(out, " ({kind} {} ", j.var.name);
        expr(out, &j.source);
        out.push(' ');
        expr(out, &j.on);
        out.push(')');
    }
    clause(out, "where", q.where_clause.as_ref());
    if let Some(g) = &q.group {
        out.push_str(" (group");
        for k in &g.keys {
            out.push(' ');
            expr(out, k);
        }
        let _ = write!(out, " into {}", g.into.name);
        clause(out, "having", g.having.as_ref());
        out.push(')');
    }
    clause(out, "sort", q.sort.as_ref());
    clause(out, "skip", q.skip.as_ref());
    clause(out, "take", q.take.as_ref());
    let word = if q.distinct {
        "select-distinct"
    } else {
        "select"
    };
    clause(out, word, Some(&q.select));
    out.push(')');
}

pub fn expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Int(v) => {
            let _ = write!(out, "{v}");
        }
        ExprKind::Float(v) => {
            let _ = write!(out, "{v:?}");
        }
        ExprKind::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::None => out.push_str("none"),
        ExprKind::Name(n) => out.push_str(n),
        ExprKind::List(items) => {
            out.push_str("(list");
            for i in items {
                out.push(' ');
                expr(out, i);
            }
            out.push(')');
        }
        ExprKind::Map(entries) => {
            out.push_str("(map");
            for (k, v) in entries {
                out.push_str(" (");
                expr(out, k);
                out.push(' ');
                expr(out, v);
                out.push(')');
            }
            out.push(')');
        }
        ExprKind::StructLit { name, fields } => {
            let _ = write!(out, "(struct {}", name.name);
            for (f, v) in fields {
                let _ = write!(out, " ({} ", f.name);
                expr(out, v);
                out.push(')');
            }
            out.push(')');
        }
        ExprKind::Unary { op, expr: x } => {
            out.push_str(match op {
                UnOp::Neg => "(neg ",
                UnOp::Not => "(not ",
            });
            expr(out, x);
            out.push(')');
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let _ = write!(out, "({} ", binop(*op));
            expr(out, lhs);
            out.push(' ');
            expr(out, rhs);
            out.push(')');
        }
        ExprKind::Call { callee, args } => {
            out.push_str("(call ");
            expr(out, callee);
            for a in args {
                out.push(' ');
                expr(out, a);
            }
            out.push(')');
        }
        ExprKind::Index { target, index } => {
            out.push_str("(index ");
            expr(out, target);
            out.push(' ');
            expr(out, index);
            out.push(')');
        }
        ExprKind::Slice { target, start, end } => {
            out.push_str("(slice ");
            expr(out, target);
            for b in [start, end] {
                out.push(' ');
                match b {
                    Some(b) => expr(out, b),
                    None => out.push('_'),
                }
            }
            out.push(')');
        }
        ExprKind::Field { target, name } => {
            out.push_str("(. ");
            expr(out, target);
            let _ = write!(out, " {})", name.name);
        }
        ExprKind::Cast { expr: x, ty: t } => {
            out.push_str("(as ");
            expr(out, x);
            out.push(' ');
            ty(out, t);
            out.push(')');
        }
        ExprKind::Lambda(f) => fun(out, f),
        ExprKind::If {
            cond,
            then_expr,
            else_expr,
        } => {
            out.push_str("(if-expr ");
            expr(out, cond);
            out.push(' ');
            expr(out, then_expr);
            if let Some(x) = else_expr {
                out.push(' ');
                expr(out, x);
            }
            out.push(')');
        }
        ExprKind::Match { target, arms } => {
            out.push_str("(match ");
            expr(out, target);
            for arm in arms {
                out.push_str(" (");
                pattern(out, &arm.pattern);
                out.push_str(" => ");
                match &arm.body {
                    ArmBody::Expr(x) => expr(out, x),
                    ArmBody::Block(b) => block(out, b),
                }
                out.push(')');
            }
            out.push(')');
        }
        ExprKind::Query(q) => query(out, q),
        ExprKind::Load(l) => {
            out.push_str("(load ");
            match &l.path {
                Some(p) => {
                    let _ = write!(out, "{p:?} ");
                }
                None => out.push_str("stdin "),
            }
            ty(out, &l.row_type);
            clause(out, "with", l.options.as_ref());
            out.push(')');
        }
        ExprKind::Save(sv) => {
            out.push_str("(save ");
            expr(out, &sv.value);
            match &sv.path {
                Some(p) => {
                    let _ = write!(out, " {p:?}");
                }
                None => out.push_str(" stdout"),
            }
            clause(out, "with", sv.options.as_ref());
            out.push(')');
        }
    }
}

fn pattern(out: &mut String, p: &Pattern) {
    match &p.kind {
        PatternKind::Wildcard => out.push('_'),
        PatternKind::Literal(e) => expr(out, e),
        PatternKind::Variant { name, binders } => {
            out.push_str(&name.name);
            if let Some(bs) = binders {
                out.push('(');
                for (i, b) in bs.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    match b {
                        Some(b) => out.push_str(&b.name),
                        None => out.push('_'),
                    }
                }
                out.push(')');
            }
        }
    }
}
