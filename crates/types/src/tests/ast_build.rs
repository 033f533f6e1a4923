//! Checker tests on hand-built ASTs (independent of the parser).

use mochi_syntax::Span;
use mochi_syntax::ast::*;

use crate::{CallKind, FuncKind, Res, Type, check};

/// Builds AST nodes with fresh ids.
struct B {
    next: u32,
}

impl B {
    fn id(&mut self) -> NodeId {
        self.next += 1;
        NodeId(self.next)
    }
    fn e(&mut self, kind: ExprKind) -> Expr {
        Expr {
            id: self.id(),
            kind,
            span: Span::default(),
        }
    }
    fn int(&mut self, v: i64) -> Expr {
        self.e(ExprKind::Int(v))
    }
    fn name(&mut self, n: &str) -> Expr {
        self.e(ExprKind::Name(n.into()))
    }
    fn ident(&mut self, n: &str) -> Ident {
        Ident {
            name: n.into(),
            span: Span::default(),
            id: self.id(),
        }
    }
    fn add(&mut self, l: Expr, r: Expr) -> Expr {
        self.e(ExprKind::Binary {
            op: BinOp::Add,
            lhs: Box::new(l),
            rhs: Box::new(r),
        })
    }
    fn call(&mut self, f: Expr, args: Vec<Expr>) -> Expr {
        self.e(ExprKind::Call {
            callee: Box::new(f),
            args,
        })
    }
    fn let_(&mut self, n: &str, mutable: bool, v: Expr) -> Stmt {
        let name = self.ident(n);
        st(StmtKind::Let {
            name,
            mutable,
            ty: None,
            value: Some(v),
        })
    }
    fn fun(
        &mut self,
        name: Option<&str>,
        params: Vec<(&str, TypeExpr)>,
        ret: Option<TypeExpr>,
        body: Vec<Stmt>,
    ) -> FunDecl {
        let name = name.map(|n| self.ident(n));
        let params = params
            .into_iter()
            .map(|(n, t)| Param {
                name: self.ident(n),
                ty: Some(t),
            })
            .collect();
        FunDecl {
            name,
            params,
            ret,
            body: FunBody::Block(block(body)),
            span: Span::default(),
            id: self.id(),
        }
    }
}

fn st(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::default(),
    }
}

fn block(stmts: Vec<Stmt>) -> Block {
    Block {
        stmts,
        span: Span::default(),
    }
}

fn ty(n: &str) -> TypeExpr {
    TypeExpr {
        kind: TypeExprKind::Named {
            name: n.into(),
            args: vec![],
        },
        span: Span::default(),
    }
}

fn list_ty(el: TypeExpr) -> TypeExpr {
    TypeExpr {
        kind: TypeExprKind::Named {
            name: "list".into(),
            args: vec![el],
        },
        span: Span::default(),
    }
}

fn fun_ty(params: Vec<TypeExpr>, ret: TypeExpr) -> TypeExpr {
    TypeExpr {
        kind: TypeExprKind::Fun {
            params,
            ret: Some(Box::new(ret)),
        },
        span: Span::default(),
    }
}

fn program(b: &B, stmts: Vec<Stmt>) -> Program {
    Program {
        stmts,
        node_count: b.next + 1,
    }
}

/// The closure counter of LANGUAGE.md §5.
#[test]
fn closure_counter() {
    let mut b = B { next: 0 };
    // fun makeCounter(): fun(): int { var n = 0; return fun(): int { n = n + 1; return n } }
    let zero = b.int(0);
    let var_n = b.let_("n", true, zero);
    let n_target = b.name("n");
    let n_read = b.name("n");
    let one = b.int(1);
    let sum = b.add(n_read, one);
    let n_ret = b.name("n");
    let n_ret_id = n_ret.id;
    let lam = b.fun(
        None,
        vec![],
        Some(ty("int")),
        vec![
            st(StmtKind::Assign {
                target: n_target,
                value: sum,
            }),
            st(StmtKind::Return(Some(n_ret))),
        ],
    );
    let lam_id = lam.id;
    let lam_e = b.e(ExprKind::Lambda(Box::new(lam)));
    let make = b.fun(
        Some("makeCounter"),
        vec![],
        Some(fun_ty(vec![], ty("int"))),
        vec![var_n, st(StmtKind::Return(Some(lam_e)))],
    );
    let make_id = make.id;
    let mk = b.name("makeCounter");
    let mk_call = b.call(mk, vec![]);
    let mk_call_id = mk_call.id;
    let let_next = b.let_("next", false, mk_call);
    let nx = b.name("next");
    let nx_call = b.call(nx, vec![]);
    let nx_call_id = nx_call.id;
    let pr = b.name("print");
    let pr_call = b.call(pr, vec![nx_call]);
    let pr_call_id = pr_call.id;
    // `print` is called before `makeCounter` is declared: hoisting.
    let p = program(
        &b,
        vec![
            let_next,
            st(StmtKind::Expr(pr_call)),
            st(StmtKind::Fun(make)),
        ],
    );
    let (c, diags) = check(&p);
    assert!(diags.is_empty(), "{diags:?}");
    let make_f = c.fun_ids[&make_id];
    let lam_f = c.fun_ids[&lam_id];
    assert_eq!(c.functions[make_f.0 as usize].kind, FuncKind::TopLevel);
    assert_eq!(c.functions[lam_f.0 as usize].kind, FuncKind::Lambda);
    assert_eq!(c.functions[lam_f.0 as usize].parent, Some(make_f));
    let Some(Res::Local(n)) = c.resolutions.get(&n_ret_id).cloned() else {
        panic!("n not a local")
    };
    assert!(c.locals[n.0 as usize].captured);
    assert_eq!(c.locals[n.0 as usize].owner, make_f);
    assert_eq!(c.functions[lam_f.0 as usize].captures, vec![n]);
    assert!(c.functions[make_f.0 as usize].captures.is_empty());
    assert_eq!(c.calls[&mk_call_id], CallKind::Direct(make_f));
    assert_eq!(c.calls[&nx_call_id], CallKind::Value);
    assert_eq!(
        c.calls[&pr_call_id],
        CallKind::Builtin(crate::Builtin::Print)
    );
    assert_eq!(c.expr_types[nx_call_id.index()], Some(Type::Int));
    // No function mentions `next`: a local of the program body (`top_locals.rs`).
    let next = c.locals.iter().find(|l| l.name == "next").expect("next");
    assert_eq!(next.ty, Type::Fun(vec![], Box::new(Type::Int)));
}

/// A nested recursive function appending to a list of the enclosing function, called
/// from a lambda nested one level deeper (captures pass through intermediate functions).
#[test]
fn nested_recursive_fun_captures() {
    let mut b = B { next: 0 };
    // fun outer(): list<int> {
    //   var out = []
    //   fun rec(k: int) { out = append(out, k); if k > 0 { rec(k) } ; let g = fun(): int { return len(out) } }
    //   rec(3)
    //   return out
    // }
    let empty = b.e(ExprKind::List(vec![]));
    let var_out = b.let_("out", true, empty);
    let out_t = b.name("out");
    let ap = b.name("append");
    let out_r = b.name("out");
    let k = b.name("k");
    let ap_call = b.call(ap, vec![out_r, k]);
    let rec_name = b.name("rec");
    let rec_name_id = rec_name.id;
    let k2 = b.name("k");
    let rec_self = b.call(rec_name, vec![k2]);
    let rec_self_id = rec_self.id;
    let len = b.name("len");
    let out_deep = b.name("out");
    let len_call = b.call(len, vec![out_deep]);
    let g = b.fun(
        None,
        vec![],
        Some(ty("int")),
        vec![st(StmtKind::Return(Some(len_call)))],
    );
    let g_id = g.id;
    let g_e = b.e(ExprKind::Lambda(Box::new(g)));
    let let_g = b.let_("g", false, g_e);
    let rec = b.fun(
        Some("rec"),
        vec![("k", ty("int"))],
        None,
        vec![
            st(StmtKind::Assign {
                target: out_t,
                value: ap_call,
            }),
            st(StmtKind::Expr(rec_self)),
            let_g,
        ],
    );
    let rec_id = rec.id;
    let rec_n = b.name("rec");
    let three = b.int(3);
    let rec_call = b.call(rec_n, vec![three]);
    let out_ret = b.name("out");
    let outer = b.fun(
        Some("outer"),
        vec![],
        Some(list_ty(ty("int"))),
        vec![
            var_out,
            st(StmtKind::Fun(rec)),
            st(StmtKind::Expr(rec_call)),
            st(StmtKind::Return(Some(out_ret))),
        ],
    );
    let outer_id = outer.id;
    let p = program(&b, vec![st(StmtKind::Fun(outer))]);
    let (c, diags) = check(&p);
    assert!(diags.is_empty(), "{diags:?}");
    let outer_f = c.fun_ids[&outer_id];
    let rec_f = c.fun_ids[&rec_id];
    let g_f = c.fun_ids[&g_id];
    assert_eq!(c.functions[rec_f.0 as usize].kind, FuncKind::Nested);
    assert_eq!(c.functions[rec_f.0 as usize].parent, Some(outer_f));
    assert_eq!(c.functions[g_f.0 as usize].parent, Some(rec_f));
    let Some(Res::Local(rec_local)) = c.resolutions.get(&rec_name_id).cloned() else {
        panic!("rec not a local")
    };
    let out_local = c
        .locals
        .iter()
        .position(|l| l.name == "out")
        .map(|i| crate::LocalId(i as u32))
        .unwrap();
    assert!(c.locals[out_local.0 as usize].captured);
    assert!(c.locals[rec_local.0 as usize].captured);
    assert_eq!(c.locals[rec_local.0 as usize].owner, outer_f);
    assert_eq!(
        c.functions[rec_f.0 as usize].captures,
        vec![out_local, rec_local]
    );
    assert_eq!(c.functions[g_f.0 as usize].captures, vec![out_local]);
    assert_eq!(c.calls[&rec_self_id], CallKind::Value);
}

#[test]
fn string_plus_int_is_an_error() {
    let mut b = B { next: 0 };
    let s = b.e(ExprKind::Str("n=".into()));
    let five = b.int(5);
    let sum = b.add(s, five);
    let p = program(&b, vec![st(StmtKind::Expr(sum))]);
    let (_, diags) = check(&p);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, crate::codes::BINARY_OPERANDS);
}
