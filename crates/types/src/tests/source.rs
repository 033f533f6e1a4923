//! Checker tests on parsed Mochi source.

use mochi_syntax::ast::*;
use mochi_syntax::{Diagnostic, SourceFile};

use crate::{CallKind, Checked, FuncKind, Res, Type, check, codes};

struct Out {
    src: String,
    program: Program,
    checked: Checked,
    diags: Vec<Diagnostic>,
}

fn run(src: &str) -> Out {
    let file = SourceFile::new("test.mochi", src);
    let (program, pd) = mochi_syntax::parse(&file);
    assert!(pd.is_empty(), "parse errors: {pd:?}");
    let (checked, diags) = check(&program);
    Out {
        src: file.text.clone(),
        program,
        checked,
        diags,
    }
}

/// Checks `src`, asserting it has no diagnostics.
fn ok(src: &str) -> Out {
    let o = run(src);
    assert!(o.diags.is_empty(), "unexpected diagnostics: {:?}", o.diags);
    o
}

/// The codes of the diagnostics of `src`.
fn errs(src: &str) -> Vec<&'static str> {
    run(src).diags.iter().map(|d| d.code).collect()
}

fn walk_block<'a>(b: &'a Block, out: &mut Vec<&'a Expr>) {
    for s in &b.stmts {
        walk_stmt(s, out);
    }
}

fn walk_fun<'a>(f: &'a FunDecl, out: &mut Vec<&'a Expr>) {
    match &f.body {
        FunBody::Block(b) => walk_block(b, out),
        FunBody::Expr(e) => walk_expr(e, out),
    }
}

fn walk_stmt<'a>(s: &'a Stmt, out: &mut Vec<&'a Expr>) {
    match &s.kind {
        StmtKind::Let { value, .. } => value.iter().for_each(|e| walk_expr(e, out)),
        StmtKind::Assign { target, value } => {
            walk_expr(target, out);
            walk_expr(value, out);
        }
        StmtKind::Expr(e) | StmtKind::Expect(e) => walk_expr(e, out),
        StmtKind::Return(e) => e.iter().for_each(|e| walk_expr(e, out)),
        StmtKind::Fun(f) => walk_fun(f, out),
        StmtKind::Type(t) => {
            if let TypeDeclKind::Struct { methods, .. } = &t.kind {
                methods.iter().for_each(|m| walk_fun(m, out));
            }
        }
        StmtKind::If {
            cond,
            then_block,
            else_block,
        } => {
            walk_expr(cond, out);
            walk_block(then_block, out);
            else_block.iter().for_each(|b| walk_block(b, out));
        }
        StmtKind::While { cond, body } => {
            walk_expr(cond, out);
            walk_block(body, out);
        }
        StmtKind::ForRange {
            start, end, body, ..
        } => {
            walk_expr(start, out);
            walk_expr(end, out);
            walk_block(body, out);
        }
        StmtKind::ForIn { iter, body, .. } => {
            walk_expr(iter, out);
            walk_block(body, out);
        }
        StmtKind::Block(b) | StmtKind::Test { body: b, .. } | StmtKind::Bench { body: b, .. } => {
            walk_block(b, out)
        }
        StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Import(_)
        | StmtKind::Extern(_)
        | StmtKind::Update(_) => {}
    }
}

fn walk_expr<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    out.push(e);
    match &e.kind {
        ExprKind::List(xs) => xs.iter().for_each(|x| walk_expr(x, out)),
        ExprKind::Map(kv) => kv.iter().for_each(|(k, v)| {
            walk_expr(k, out);
            walk_expr(v, out);
        }),
        ExprKind::StructLit { fields, .. } => fields.iter().for_each(|(_, v)| walk_expr(v, out)),
        ExprKind::Unary { expr, .. } | ExprKind::Cast { expr, .. } => walk_expr(expr, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            walk_expr(lhs, out);
            walk_expr(rhs, out);
        }
        ExprKind::Call { callee, args } => {
            walk_expr(callee, out);
            args.iter().for_each(|a| walk_expr(a, out));
        }
        ExprKind::Index { target, index } => {
            walk_expr(target, out);
            walk_expr(index, out);
        }
        ExprKind::Slice { target, start, end } => {
            walk_expr(target, out);
            start.iter().for_each(|x| walk_expr(x, out));
            end.iter().for_each(|x| walk_expr(x, out));
        }
        ExprKind::Field { target, .. } => walk_expr(target, out),
        ExprKind::Lambda(f) => walk_fun(f, out),
        ExprKind::If {
            cond,
            then_expr,
            else_expr,
        } => {
            walk_expr(cond, out);
            walk_expr(then_expr, out);
            else_expr.iter().for_each(|x| walk_expr(x, out));
        }
        ExprKind::Match { target, arms } => {
            walk_expr(target, out);
            for a in arms {
                if let PatternKind::Literal(l) = &a.pattern.kind {
                    walk_expr(l, out);
                }
                match &a.body {
                    ArmBody::Expr(x) => walk_expr(x, out),
                    ArmBody::Block(b) => walk_block(b, out),
                }
            }
        }
        _ => {}
    }
}

impl Out {
    fn exprs(&self) -> Vec<&Expr> {
        let mut v = Vec::new();
        for s in &self.program.stmts {
            walk_stmt(s, &mut v);
        }
        v
    }

    /// The first expression (in walk order) whose source text is exactly `text`.
    fn find(&self, text: &str) -> &Expr {
        self.exprs()
            .into_iter()
            .find(|e| &self.src[e.span.start as usize..e.span.end as usize] == text)
            .unwrap_or_else(|| panic!("no expression `{text}`"))
    }

    fn ty(&self, text: &str) -> Type {
        let e = self.find(text);
        self.checked.expr_types[e.id.index()]
            .clone()
            .unwrap_or_else(|| panic!("no type for `{text}`"))
    }

    fn res(&self, text: &str) -> Res {
        let e = self.find(text);
        self.checked.resolutions[&e.id].clone()
    }

    fn call(&self, text: &str) -> CallKind {
        let e = self.find(text);
        self.checked.calls[&e.id].clone()
    }

    fn func(&self, name: &str) -> crate::FuncId {
        let i = self
            .checked
            .functions
            .iter()
            .position(|f| f.name == name)
            .unwrap_or_else(|| panic!("no function {name}"));
        crate::FuncId(i as u32)
    }

    fn local(&self, name: &str) -> crate::LocalId {
        let i = self
            .checked
            .locals
            .iter()
            .position(|l| l.name == name)
            .unwrap_or_else(|| panic!("no local {name}"));
        crate::LocalId(i as u32)
    }

    /// Every expression has a type.
    fn all_typed(&self) {
        for e in self.exprs() {
            assert!(
                self.checked.expr_types[e.id.index()].is_some(),
                "untyped expression `{}`",
                &self.src[e.span.start as usize..e.span.end as usize]
            );
            if let ExprKind::Call { .. } = e.kind {
                assert!(self.checked.calls.contains_key(&e.id));
            }
            if let ExprKind::Name(_) = e.kind {
                assert!(self.checked.resolutions.contains_key(&e.id));
            }
        }
    }
}

fn list(t: Type) -> Type {
    Type::List(Box::new(t))
}

// ----- types -----

#[test]
fn literal_and_operator_types() {
    let o = ok(r#"
let a = 1 + 2
let b = 1 + 2.5
let c = "x" + "y"
let d = [1, 2] + [3]
let e = 1 < 2
let f = true && false
let g = 2 in [1, 2]
let h = 7 / 2
let i = -3.5
let j = !1
"#);
    o.all_typed();
    assert_eq!(o.ty("1 + 2"), Type::Int);
    assert_eq!(o.ty("1 + 2.5"), Type::Float);
    assert_eq!(o.ty(r#""x" + "y""#), Type::Str);
    assert_eq!(o.ty("[1, 2] + [3]"), list(Type::Int));
    assert_eq!(o.ty("1 < 2"), Type::Bool);
    assert_eq!(o.ty("true && false"), Type::Bool);
    assert_eq!(o.ty("2 in [1, 2]"), Type::Bool);
    assert_eq!(o.ty("7 / 2"), Type::Int);
    assert_eq!(o.ty("-3.5"), Type::Float);
    assert_eq!(o.ty("!1"), Type::Bool);
}

#[test]
fn collections_index_slice_field() {
    let o = ok(r#"
let xs = [1, 2, 3]
let m = {"a": 1.5, "b": 2.0}
let s = "hello"
let e = []
let em = {}
print(xs[0], m["a"], s[1], xs[1:2], s[:2], m.a, e[0])
let mixed = [1, 2.5]
"#);
    o.all_typed();
    assert_eq!(o.ty("xs[0]"), Type::Int);
    assert_eq!(o.ty(r#"m["a"]"#), Type::Float);
    assert_eq!(o.ty("s[1]"), Type::Str);
    assert_eq!(o.ty("xs[1:2]"), list(Type::Int));
    assert_eq!(o.ty("s[:2]"), Type::Str);
    assert_eq!(o.ty("m.a"), Type::Float);
    assert_eq!(o.ty("e[0]"), Type::Any);
    assert_eq!(o.ty("[]"), list(Type::Any));
    assert_eq!(
        o.ty("{}"),
        Type::Map(Box::new(Type::Any), Box::new(Type::Any))
    );
    assert_eq!(o.ty("[1, 2.5]"), list(Type::Any));
}

#[test]
fn if_match_and_casts() {
    let o = ok(r#"
let n = 3
let a = if n < 0 then "neg" else "pos"
let b = if n > 1 { 1 } else { 2 }
let c = n as float
let d = "12" as int
let e = if n > 1 { 1 }
"#);
    o.all_typed();
    assert_eq!(o.ty(r#"if n < 0 then "neg" else "pos""#), Type::Str);
    assert_eq!(o.ty("if n > 1 { 1 } else { 2 }"), Type::Int);
    assert_eq!(o.ty("n as float"), Type::Float);
    assert_eq!(o.ty(r#""12" as int"#), Type::Int);
    assert_eq!(o.ty("if n > 1 { 1 }"), Type::Int);
}

/// A top-level binding that no function, lambda or test block mentions is a local of the
/// program body; the others stay globals (`top_locals.rs`).
#[test]
fn top_level_bindings_only_the_body_uses_are_locals() {
    let o = ok(r#"
var a = 1
var b = 2
var c = 3
var d = 4
fun f(): int {
  return b
}
let g = fun(): int => c
test "t" {
  expect d == 4
}
a = a + f() + g()
"#);
    let body_locals: Vec<&str> = (o.checked.locals.iter())
        .filter(|l| l.owner == crate::FuncId(0))
        .map(|l| l.name.as_str())
        .collect();
    let globals: Vec<&str> = (o.checked.decl_globals.values())
        .map(|g| o.checked.globals[g.0 as usize].name.as_str())
        .collect();
    for name in ["a", "g"] {
        assert!(body_locals.contains(&name), "{name}: {body_locals:?}");
        assert!(!globals.contains(&name), "{name}: {globals:?}");
    }
    for name in ["b", "c", "d"] {
        assert!(globals.contains(&name), "{name}: {globals:?}");
        assert!(!body_locals.contains(&name), "{name}: {body_locals:?}");
    }
}

#[test]
fn var_from_empty_list_accepts_typed_list() {
    let o = ok(r#"
var xs = []
xs = [1, 2]
xs = append(xs, "x")
var ys: list<int> = []
ys = append(ys, 3)
var m: map<string, int> = {}
m["a"] = 1
var grid: list<list<int>> = []
grid = append(grid, [0, 0])
grid[0][1] = 5
"#);
    o.all_typed();
    // No function mentions `xs`: a local of the program body (`top_locals.rs`).
    assert_eq!(
        o.checked.locals[o.local("xs").0 as usize].ty,
        list(Type::Any)
    );
    assert_eq!(o.ty("append(ys, 3)"), list(Type::Int));
}

#[test]
fn builtin_result_types() {
    let o = ok(r#"
let xs = [3, 1, 2]
let fs = [1.5, 2.5]
let m = {"a": 1}
print(len(xs), str(1), int("3"), float(2), input(), now())
print(min(xs), max(fs), sum(xs), keys(m), values(m), split("a b", " "), join(["a"], ","))
print(pow(2, 10), pow(2.0, 0.5), abs(-2), abs(-2.5), floor(2.5), substring("abc", 1, 2))
print(m.keys(), "x".padStart(3, " "), (5).padStart(3, "0"), "abc".contains("b"), upper("a"))
"#);
    o.all_typed();
    assert_eq!(o.ty("len(xs)"), Type::Int);
    assert_eq!(o.ty("str(1)"), Type::Str);
    assert_eq!(o.ty(r#"int("3")"#), Type::Int);
    assert_eq!(o.ty("float(2)"), Type::Float);
    assert_eq!(o.ty("input()"), Type::Str);
    assert_eq!(o.ty("now()"), Type::Int);
    assert_eq!(o.ty("min(xs)"), Type::Int);
    assert_eq!(o.ty("max(fs)"), Type::Float);
    assert_eq!(o.ty("sum(xs)"), Type::Int);
    assert_eq!(o.ty("keys(m)"), list(Type::Str));
    assert_eq!(o.ty("values(m)"), list(Type::Int));
    assert_eq!(o.ty(r#"split("a b", " ")"#), list(Type::Str));
    assert_eq!(o.ty(r#"join(["a"], ",")"#), Type::Str);
    assert_eq!(o.ty("pow(2, 10)"), Type::Int);
    assert_eq!(o.ty("pow(2.0, 0.5)"), Type::Float);
    assert_eq!(o.ty("abs(-2)"), Type::Int);
    assert_eq!(o.ty("abs(-2.5)"), Type::Float);
    assert_eq!(o.ty("floor(2.5)"), Type::Int);
    assert_eq!(o.ty("m.keys()"), list(Type::Str));
    assert_eq!(
        o.call("m.keys()"),
        CallKind::BuiltinMethod(crate::Builtin::Keys)
    );
    assert_eq!(
        o.call(r#""x".padStart(3, " ")"#),
        CallKind::BuiltinMethod(crate::Builtin::PadStart)
    );
    assert_eq!(o.ty(r#"(5).padStart(3, "0")"#), Type::Str);
    assert_eq!(o.ty(r#""abc".contains("b")"#), Type::Bool);
    assert_eq!(o.call("len(xs)"), CallKind::Builtin(crate::Builtin::Len));
}

#[test]
fn user_function_shadows_builtin() {
    let o = ok(r#"
fun pow(b: float, e: int): float { return b }
let x = pow(2.0, 3)
"#);
    assert_eq!(o.call("pow(2.0, 3)"), CallKind::Direct(o.func("pow")));
    assert_eq!(o.ty("pow(2.0, 3)"), Type::Float);
    let o = ok(r#"
fun f() {
  let len = fun(x: int): int => x
  print(len(3))
}
"#);
    assert_eq!(o.call("len(3)"), CallKind::Value);
}

#[test]
fn partial_application() {
    let o = ok(r#"
fun add(a: int, b: int): int { return a + b }
let add5 = add(5)
print(add5(1))
"#);
    assert_eq!(
        o.ty("add(5)"),
        Type::Fun(vec![Type::Int], Box::new(Type::Int))
    );
    assert_eq!(o.ty("add5(1)"), Type::Int);
    assert_eq!(o.call("add5(1)"), CallKind::Value);
}

// ----- scopes, resolution and captures -----

#[test]
fn hoisting_and_globals() {
    let o = ok(r#"
fun show() { print(counter) }
var counter = 0
fun bump() { counter = counter + 1 }
bump()
show()
print(later())
fun later(): int { return 1 }
"#);
    o.all_typed();
    let Res::Global(g) = o.res("counter") else {
        panic!()
    };
    assert_eq!(o.checked.globals[g.0 as usize].ty, Type::Int);
    assert_eq!(o.call("later()"), CallKind::Direct(o.func("later")));
    assert_eq!(o.checked.functions[0].kind, FuncKind::Main);
}

#[test]
fn block_scoping_and_shadowing() {
    let o = ok(r#"
let x = "global"
fun f(): int {
  let x = 1
  if true {
    let x = 2.5
    print(x)
  }
  return x
}
for i in 0..3 {
  let y = i
  print(y)
}
"#);
    o.all_typed();
    assert_eq!(o.ty("print(x)"), Type::Void);
    let print_x = o.find("print(x)");
    let ExprKind::Call { args, .. } = &print_x.kind else {
        panic!()
    };
    assert_eq!(o.checked.expr_types[args[0].id.index()], Some(Type::Float));
    let y = o.local("y");
    assert_eq!(o.checked.locals[y.0 as usize].owner, crate::FuncId(0));
    let i = o.local("i");
    assert_eq!(o.checked.locals[i.0 as usize].ty, Type::Int);
}

#[test]
fn closure_counter_from_language_md() {
    let o = ok(r#"
fun makeCounter(): fun(): int {
  var n = 0
  return fun(): int {
    n = n + 1
    return n
  }
}
let next = makeCounter()
next()
print(next())
"#);
    o.all_typed();
    let mk = o.func("makeCounter");
    let lam = o.func("<lambda>");
    let n = o.local("n");
    assert!(o.checked.locals[n.0 as usize].captured);
    assert_eq!(o.checked.locals[n.0 as usize].owner, mk);
    assert_eq!(o.checked.functions[lam.0 as usize].captures, vec![n]);
    assert_eq!(o.checked.functions[lam.0 as usize].parent, Some(mk));
    assert_eq!(o.ty("next()"), Type::Int);
    assert_eq!(o.call("makeCounter()"), CallKind::Direct(mk));
    assert_eq!(o.res("n"), Res::Local(n));
}

#[test]
fn nested_recursive_fun_appends_to_outer_list() {
    let o = ok(r#"
fun scc(n: int): list<int> {
  var components: list<int> = []
  fun visit(k: int) {
    components = append(components, k)
    if k > 0 {
      visit(k - 1)
    }
  }
  visit(n)
  return components
}
print(scc(3))
"#);
    o.all_typed();
    let scc = o.func("scc");
    let visit = o.func("visit");
    assert_eq!(o.checked.functions[visit.0 as usize].kind, FuncKind::Nested);
    assert_eq!(o.checked.functions[visit.0 as usize].parent, Some(scc));
    let comps = o.local("components");
    let visit_l = o.local("visit");
    assert!(o.checked.locals[comps.0 as usize].captured);
    assert!(o.checked.locals[visit_l.0 as usize].captured);
    assert_eq!(
        o.checked.functions[visit.0 as usize].captures,
        vec![comps, visit_l]
    );
    assert_eq!(o.call("visit(k - 1)"), CallKind::Value);
    assert_eq!(o.call("visit(n)"), CallKind::Value);
}

#[test]
fn captures_pass_through_intermediate_functions() {
    let o = ok(r#"
fun outer(): int {
  var total = 0
  let add = fun(k: int): fun(): int {
    return fun(): int {
      total = total + k
      return total
    }
  }
  add(1)()
  return total
}
"#);
    let total = o.local("total");
    let k = o.local("k");
    let lambdas: Vec<_> = o
        .checked
        .functions
        .iter()
        .filter(|f| f.kind == FuncKind::Lambda)
        .collect();
    assert_eq!(lambdas.len(), 2);
    assert_eq!(lambdas[0].captures, vec![total]);
    assert_eq!(lambdas[1].captures, vec![total, k]);
    assert!(!o.checked.locals[o.local("add").0 as usize].captured);
    assert_eq!(o.call("add(1)()"), CallKind::Value);
}

#[test]
fn structs_unions_methods_match() {
    let o = ok(r#"
type Point {
  x: int
  y: int
  fun norm(): int { return x * x + y * y }
  fun twice(): int { return norm() * 2 }
}
type Shape =
  Circle(r: float)
  | Rect(w: float, h: float)
  | Empty {}
fun area(s: Shape): float {
  return match s {
    Circle(r) => 3.0 * r * r
    Rect(w, h) => w * h
    _ => 0.0
  }
}
let p = Point { x: 1, y: 2 }
print(p.x, p.norm(), area(Rect { w: 2.0, h: 3.0 }))
"#);
    o.all_typed();
    let point = crate::StructId(0);
    assert_eq!(o.ty("p.x"), Type::Int);
    assert_eq!(o.ty("Point { x: 1, y: 2 }"), Type::Struct(point));
    let norm = o.func("Point.norm");
    assert_eq!(
        o.checked.functions[norm.0 as usize].kind,
        FuncKind::Method(point)
    );
    assert_eq!(o.call("p.norm()"), CallKind::Method(norm));
    assert_eq!(o.ty("p.norm()"), Type::Int);
    let e = o.find("x * x");
    let ExprKind::Binary { lhs, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(o.checked.resolutions[&lhs.id], Res::SelfField("x".into()));
    let e = o.find("norm()");
    let ExprKind::Call { callee, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(o.checked.resolutions[&callee.id], Res::SelfMethod(norm));
    let self_l = o.checked.functions[norm.0 as usize].params[0];
    assert_eq!(o.checked.locals[self_l.0 as usize].name, "self");
    assert_eq!(o.ty("w * h"), Type::Float);
    assert_eq!(
        o.ty("match s {\n    Circle(r) => 3.0 * r * r\n    Rect(w, h) => w * h\n    _ => 0.0\n  }"),
        Type::Float
    );
    assert_eq!(o.checked.pattern_variants.len(), 2);
    assert_eq!(o.checked.struct_lits.len(), 2);
}

#[test]
fn let_can_be_assigned_and_params_too() {
    ok(r#"
let res = 5 % 3
res = res + 3
fun f(a: int): int {
  a = a + 1
  return a
}
"#);
}

#[test]
fn top_level_return_is_accepted() {
    ok("print(1)\nreturn\n");
}

// ----- errors -----

#[test]
fn t001_undefined_name() {
    assert_eq!(errs("print(nope)"), vec![codes::UNDEFINED_NAME]);
    assert_eq!(errs("nope = 1"), vec![codes::UNDEFINED_NAME]);
}

#[test]
fn t002_undefined_type() {
    assert_eq!(errs("let x: Foo = 1"), vec![codes::UNDEFINED_TYPE]);
}

#[test]
fn t003_too_many_args() {
    assert_eq!(
        errs("fun f(a: int): int { return a }\nf(1, 2)"),
        vec![codes::TOO_MANY_ARGS]
    );
    assert_eq!(errs("len([1], 2)"), vec![codes::TOO_MANY_ARGS]);
}

#[test]
fn t004_argument_type() {
    assert_eq!(
        errs("fun f(a: float): float { return a }\nf(1)"),
        vec![codes::ARG_TYPE]
    );
    assert_eq!(
        errs("fun f(a: int): int { return a }\nf(\"s\")"),
        vec![codes::ARG_TYPE]
    );
    assert!(errs("fun f(a: int): int { return a }\nlet x: any = 1\nf(x)\nf(none)").is_empty());
    assert_eq!(
        errs("var xs = [1]\nxs = append(xs, \"s\")"),
        vec![codes::ARG_TYPE]
    );
}

#[test]
fn t005_missing_param_type() {
    assert_eq!(
        errs("fun f(a): int { return 1 }"),
        vec![codes::MISSING_PARAM_TYPE]
    );
}

#[test]
fn t006_return_type() {
    assert_eq!(
        errs("fun f(): int { return \"s\" }"),
        vec![codes::RETURN_TYPE]
    );
    assert_eq!(
        errs("fun f(): float { return 1 }"),
        vec![codes::RETURN_TYPE]
    );
}

#[test]
fn t007_assignment_type() {
    assert_eq!(errs("let x: float = 1"), vec![codes::ASSIGN_TYPE]);
    assert_eq!(errs("var x = 1\nx = \"s\""), vec![codes::ASSIGN_TYPE]);
    assert_eq!(
        errs("type P { x: int }\nlet p = P { x: \"s\" }"),
        vec![codes::ASSIGN_TYPE]
    );
}

#[test]
fn t008_not_callable() {
    assert_eq!(errs("let x = 5\nx(1)"), vec![codes::NOT_CALLABLE]);
}

#[test]
fn t009_unknown_field() {
    assert_eq!(
        errs("type P { x: int }\nlet p = P { x: 1 }\nprint(p.y)"),
        vec![codes::UNKNOWN_FIELD]
    );
    assert_eq!(
        errs("type P { x: int }\nlet p = P { z: 1 }"),
        vec![codes::UNKNOWN_FIELD]
    );
    assert_eq!(errs("let s = \"a\"\ns.frob()"), vec![codes::UNKNOWN_FIELD]);
}

#[test]
fn t010_unknown_struct() {
    assert_eq!(errs("let p = Nope { x: 1 }"), vec![codes::UNKNOWN_STRUCT]);
}

#[test]
fn t011_break_outside_loop() {
    assert_eq!(errs("break"), vec![codes::OUTSIDE_LOOP]);
    assert_eq!(
        errs("while true { let f = fun() { continue } }"),
        vec![codes::OUTSIDE_LOOP]
    );
    assert!(errs("while true { if true { break } }").is_empty());
}

#[test]
fn t012_duplicates() {
    assert_eq!(errs("fun f() {}\nfun f() {}"), vec![codes::DUPLICATE]);
    assert_eq!(
        errs("type T { a: int }\ntype T { b: int }"),
        vec![codes::DUPLICATE]
    );
}

#[test]
fn t013_binary_operands() {
    assert_eq!(errs("print(\"n=\" + 5)"), vec![codes::BINARY_OPERANDS]);
    assert_eq!(errs("print(\"a\" - 1)"), vec![codes::BINARY_OPERANDS]);
    assert_eq!(errs("print(1 in 2)"), vec![codes::BINARY_OPERANDS]);
}

#[test]
fn t014_unary_operand() {
    assert_eq!(errs("print(-\"s\")"), vec![codes::UNARY_OPERAND]);
}

#[test]
fn t015_bad_index() {
    assert_eq!(errs("let x = 5\nprint(x[0])"), vec![codes::BAD_INDEX]);
    assert_eq!(
        errs("let xs = [1]\nprint(xs[\"a\"])"),
        vec![codes::BAD_INDEX]
    );
}

#[test]
fn t016_not_iterable() {
    assert_eq!(errs("for x in 5 { print(x) }"), vec![codes::NOT_ITERABLE]);
}

#[test]
fn t017_bad_pattern() {
    assert_eq!(
        errs(
            "type S = A(x: int) | B {}\nlet s = A { x: 1 }\nprint(match s { A(x, y) => x _ => 0 })"
        ),
        vec![codes::BAD_PATTERN]
    );
}

#[test]
fn t018_too_few_builtin_args() {
    assert_eq!(errs("print(len())"), vec![codes::TOO_FEW_ARGS]);
}

#[test]
fn t019_not_assignable() {
    assert_eq!(errs("fun f() {}\nf = 1"), vec![codes::NOT_ASSIGNABLE]);
}

#[test]
fn t020_builtin_arg() {
    assert_eq!(errs("print(append(\"s\", 1))"), vec![codes::BUILTIN_ARG]);
}

#[test]
fn t021_range_bound() {
    assert_eq!(errs("for i in 0..\"x\" { }"), vec![codes::RANGE_BOUND]);
}

#[test]
fn index_of_takes_two_arguments() {
    // The runtime's `indexOf` has no start position.
    assert_eq!(
        errs("print(indexOf(\"abc\", \"c\", 1))"),
        vec![codes::TOO_MANY_ARGS]
    );
    assert!(errs("print(indexOf(\"abc\", \"c\"))").is_empty());
}

#[test]
fn t022_builtin_as_value() {
    assert_eq!(errs("let f = print"), vec![codes::BUILTIN_VALUE]);
    assert_eq!(
        errs("var xs = [len, str]"),
        vec![codes::BUILTIN_VALUE, codes::BUILTIN_VALUE]
    );
    assert!(errs("print(len(\"ab\"))").is_empty());
    assert!(errs("fun print(x: int): int { return x }\nlet f = print").is_empty());
}

#[test]
fn errors_are_collected() {
    let e = errs("print(a)\nprint(b)\nlet x: float = 1");
    assert_eq!(
        e,
        vec![
            codes::UNDEFINED_NAME,
            codes::UNDEFINED_NAME,
            codes::ASSIGN_TYPE
        ]
    );
}

/// Every program under `tests/programs` without a `.err` golden parses and checks cleanly,
/// and every expression in it gets a type (a checker false positive is a worse bug than a
/// deferred check).
#[test]
fn corpus_programs_check_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/programs");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "mochi") || path.with_extension("err").exists() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file = SourceFile::new(path.display().to_string(), text);
        let (program, pd) = mochi_syntax::parse(&file);
        if !pd.is_empty() {
            continue; // the parser's problem, tested in mochi-syntax
        }
        let (_, diags) = check(&program);
        checked += 1;
        for d in diags {
            let (line, col) = file.line_col(d.span.start);
            failures.push(format!(
                "{}:{line}:{col}: {} {}",
                path.display(),
                d.code,
                d.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = checked;
}

/// Idioms from the corpora that must be accepted.
#[test]
fn common_idioms_are_accepted() {
    let o = ok(r#"
type Node {
  value: int
  children: list<Node>
}
type Item = { name: string, count: int }
fun build(n: int): Node {
  var kids: list<Node> = []
  for i in 0..n {
    kids = append(kids, Node { value: i, children: [] })
  }
  return Node { value: n, children: kids }
}
fun main() {
  var result: list<float> = []
  var i = 0
  while i < 10 {
    result = append(result, (i as float) * 0.5)
    i = i + 1
  }
  var m: map<string, list<int>> = {}
  if !("a" in m) { m["a"] = [] }
  m["a"] = append(m["a"], 1)
  let s = str(1) + "x" + str(2.5)
  var best: Node = none
  var count: int
  count = 3
  var items: list<Item> = []
  items = append(items, Item { name: "a", count: 1 })
  items[0].count = items[0].count + 1
  var grid = [[0, 0], [0, 0]]
  grid[1][0] = 7
  let ops = {"add": fun(a: int, b: int): int => a + b}
  print(ops["add"](1, 2))
  let fs = [fun(x: int): int => x * 2]
  print(fs[0](3))
  let t = build(3)
  for c in t.children { print(c.value) }
  for k in m { print(k, m[k]) }
  for ch in "abc" { print(ch) }
  var x: any = 5
  x = "now a string"
  print(x + 1, len(x), x[0], x.foo)
  let total = 0.5 + i
  var acc = ""
  acc = acc + s[0:1]
  if best == none { print("none") }
  let big: bigint = 12345678901234567
  print(big * 2, pow(2, 100))
  let r = fun(n: int): int {
    if n <= 1 { return 1 }
    return n
  }
  print(r(5), count, total, len(result), acc)
  let lines = split("a,b", ",")
  print(join(lines, "-"), substring("hello", 1, 3), lines[0].padStart(4, "*"))
  json({"k": [1, 2.5]})
  let pair = [1, "a"]
  print(pair[0], -7 % 3, 1 == 1.0)
  if len(items) > 0 && items[0].name == "a" { print("ok") }
}
main()
"#);
    o.all_typed();
    assert_eq!(o.ty("(i as float) * 0.5"), Type::Float);
    assert_eq!(o.ty(r#"ops["add"](1, 2)"#), Type::Int);
    assert_eq!(o.ty("c.value"), Type::Int);
    assert_eq!(o.ty("x + 1"), Type::Any);
}

#[test]
fn lambda_in_method_captures_receiver() {
    let o = ok(r#"
type Acc {
  total: int
  fun scaled(k: int): list<int> {
    let f = fun(x: int): int => x * total * k
    return [f(1), f(2)]
  }
}
let a = Acc { total: 2 }
print(a.scaled(3))
"#);
    o.all_typed();
    let m = o.func("Acc.scaled");
    let lam = o.func("<lambda>");
    let self_l = o.checked.functions[m.0 as usize].params[0];
    let k = o.local("k");
    assert!(o.checked.locals[self_l.0 as usize].captured);
    assert_eq!(
        o.checked.functions[lam.0 as usize].captures,
        vec![self_l, k]
    );
    assert_eq!(o.res("total"), Res::SelfField("total".into()));
    assert_eq!(o.ty("f(1)"), Type::Int);
}

#[test]
fn duplicate_type_does_not_duplicate_methods() {
    let o = run(
        "type T { a: int\n fun m(): int { return a } }\ntype T { b: int\n fun m(): int { return b } }",
    );
    assert_eq!(
        o.diags.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec![codes::DUPLICATE]
    );
    assert_eq!(o.checked.structs[0].methods.len(), 1);
}

#[test]
fn redeclared_global_with_new_type_becomes_any() {
    let o = ok("let x = 1\nprint(x)\nlet x = \"s\"\nprint(x)");
    assert_eq!(o.checked.globals.len(), 1);
    assert_eq!(o.checked.globals[0].ty, Type::Any);
}

/// The checker never panics, even on partial programs from parse errors.
#[test]
fn never_panics_on_broken_programs() {
    let sources = [
        "fun (",
        "let x = ",
        "type T = A( | B",
        "fun f(a, b) { return a + }",
        "match x { A(a, b, c) => }",
        "x.y.z(1)(2)[3] = 4",
        "type T = T\nlet x: T = 1",
        "type A = B\ntype B = A\nlet x: A = 1",
        "for i in 0..10 { fun g() { break } }",
        "print(len(), append(), min(), pow(1))",
        "let s = Shape {}\ntype Shape = C(r: float)",
    ];
    for src in sources {
        let file = SourceFile::new("t.mochi", src);
        let (program, _) = mochi_syntax::parse(&file);
        let _ = check(&program);
    }
}

#[test]
fn compatibility_names_and_types() {
    // LANGUAGE.md §19.4, §19.5.
    let o = ok(r#"
let a = nil
let u: unit = none
let n: int
let m: map<string, int> = {"k": 1}
let g = m.get("k", 0)
error("stop")
"#);
    assert_eq!(o.res("nil"), Res::Null);
    assert_eq!(o.ty("m.get(\"k\", 0)"), Type::Int);
    assert_eq!(
        o.call("m.get(\"k\", 0)"),
        CallKind::BuiltinMethod(crate::Builtin::MapGet)
    );
    assert_eq!(
        o.call("error(\"stop\")"),
        CallKind::Builtin(crate::Builtin::Error)
    );
    assert_eq!(errs("fun f(): unit { return 1 }"), vec![codes::UNIT_RETURN]);
    assert!(errs("fun f(): unit { return }").is_empty());
    assert!(errs("fun get(x: int): int { return x }\nprint(get(1))").is_empty());
    assert_eq!(
        errs("let m = {\"a\": 1}\nprint(m.get(\"a\"))"),
        vec![codes::TOO_FEW_ARGS]
    );
}

#[test]
fn module_members_are_typed_by_the_table() {
    let o = ok(r#"
import python "math" as math
let r = math.sqrt(2)
let f = math.log
let p = math.pi
"#);
    assert_eq!(
        o.call("math.sqrt(2)"),
        CallKind::Builtin(crate::Builtin::PySqrt)
    );
    assert_eq!(o.ty("math.sqrt(2)"), Type::Float);
    // A function value takes the required parameters.
    assert_eq!(
        o.ty("math.log"),
        Type::Fun(vec![Type::Float], Box::new(Type::Float))
    );
    assert_eq!(o.ty("math.pi"), Type::Float);
    assert_eq!(errs("import go \"net\""), vec![codes::UNSUPPORTED_IMPORT]);
    assert_eq!(
        errs("import python \"math\" as math\nprint(math.floor(1.5))"),
        vec![codes::UNKNOWN_MEMBER]
    );
    assert_eq!(
        errs("import python \"math\" as math\nextern fun math.sqrt(x: string): float"),
        vec![codes::BAD_EXTERN]
    );
    // A local shadows the alias.
    assert!(
        errs("import python \"math\" as math\nfun f(math: int): int { return math }").is_empty()
    );
    let o = ok("extern fun read_file(path: string): string\nlet s = read_file(\"x\")");
    assert_eq!(o.res("read_file"), Res::Extern(0));
    assert_eq!(o.checked.externs[0].what, "extern fun read_file");
}
