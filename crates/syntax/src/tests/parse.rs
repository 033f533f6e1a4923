//! Parser: precedence, every statement form, struct-literal/block ambiguity, match, types,
//! node ids and error recovery.

use super::{codes, expr, ok, parse_dump};
use crate::ast::{ExprKind, StmtKind};
use crate::{SourceFile, parse};

// ----- precedence (LANGUAGE.md §7.1) ---------------------------------------------------

#[test]
fn precedence_table() {
    assert_eq!(expr("a == b < c"), "(== a (< b c))");
    assert_eq!(expr("!a in b"), "(in (not a) b)");
    assert_eq!(expr("-x.f"), "(neg (. x f))");
    assert_eq!(expr("-n as float"), "(neg (as n float))");
    assert_eq!(expr("n as float / 2.0"), "(/ (as n float) 2.0)");
    assert_eq!(expr("x in xs == true"), "(== (in x xs) true)");
    assert_eq!(expr("a + b * c - d"), "(- (+ a (* b c)) d)");
    assert_eq!(expr("a - b - c"), "(- (- a b) c)");
    assert_eq!(expr("a / b % c * d"), "(* (% (/ a b) c) d)");
    assert_eq!(expr("a < b + 1 == c >= d"), "(== (< a (+ b 1)) (>= c d))");
    assert_eq!(expr("a || b && c == d"), "(|| a (&& b (== c d)))");
    assert_eq!(expr("a ?? b || c"), "(?? a (|| b c))");
    assert_eq!(expr("a ?? b ?? c"), "(?? (?? a b) c)");
    assert_eq!(expr("a union b + c"), "(union a (+ b c))");
    assert_eq!(expr("a union all b"), "(union-all a b)");
    assert_eq!(expr("a except b intersect c"), "(intersect (except a b) c)");
    assert_eq!(expr("a union b ?? c"), "(union a (?? b c))");
    assert_eq!(expr("!!a"), "(not (not a))");
    assert_eq!(expr("--a"), "(neg (neg a))");
    assert_eq!(expr("-a * b"), "(* (neg a) b)");
    assert_eq!(expr("!f(x)[0].y"), "(not (. (index (call f x) 0) y))");
    assert_eq!(expr("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(expr("x as int < y"), "(< (as x int) y)");
    assert_eq!(expr("x as list<int>"), "(as x list<int>)");
    assert_eq!(
        expr("x as map<string, list<int>>"),
        "(as x map<string,list<int>>)"
    );
    assert_eq!(expr("x as int as string"), "(as (as x int) string)");
}

#[test]
fn newline_never_ends_an_expression() {
    assert_eq!(ok("x = 1\n-2"), "(= x (- 1 2))");
    assert_eq!(ok("print(x)\n(y)"), "(call (call print x) y)");
    assert_eq!(
        ok("let a = b\n  + c\nprint(a)"),
        "(let a _ (+ b c))\n(call print a)"
    );
    // Statements are self-delimiting; `;` is whitespace.
    assert_eq!(ok("var a = 1; var b = 2"), "(var a _ 1)\n(var b _ 2)");
    assert_eq!(ok("a = 1 b = 2"), "(= a 1)\n(= b 2)");
}

// ----- postfix -------------------------------------------------------------------------

#[test]
fn postfix_forms() {
    assert_eq!(expr("f(a, b,)"), "(call f a b)");
    assert_eq!(expr("f()"), "(call f)");
    assert_eq!(expr("fs[i](x)"), "(call (index fs i) x)");
    assert_eq!(expr("make()(x)"), "(call (call make) x)");
    assert_eq!(expr("x.m(a)"), "(call (. x m) a)");
    assert_eq!(expr("x[a:b]"), "(slice x a b)");
    assert_eq!(expr("x[:b]"), "(slice x _ b)");
    assert_eq!(expr("x[a:]"), "(slice x a _)");
    assert_eq!(expr("x[:]"), "(slice x _ _)");
    assert_eq!(expr("x[a:b:c]"), "(slice x a b)");
    assert_eq!(expr("x[::2]"), "(slice x _ _)");
    assert_eq!(expr("x[-1]"), "(index x (neg 1))");
    assert_eq!(expr("5.foo"), "(. 5 foo)");
    assert_eq!(expr("m.type"), "(. m type)");
    assert_eq!(
        expr("s.padStart(3, \"0\")"),
        "(call (. s padStart) 3 \"0\")"
    );
}

// ----- literals ------------------------------------------------------------------------

#[test]
fn literals() {
    assert_eq!(
        expr("[1, 2.5, \"s\", true, false, none,]"),
        "(list 1 2.5 \"s\" true false none)"
    );
    assert_eq!(expr("[]"), "(list)");
    assert_eq!(expr("x = {}"), "(= x (map))");
    assert_eq!(
        expr("x = {a: 1, \"b\": 2, 3: c, (k): v,}"),
        "(= x (map (\"a\" 1) (\"b\" 2) (3 c) (k v)))"
    );
    assert_eq!(
        expr("x = {\n  start: true,\n  goal: false\n}"),
        "(= x (map (\"start\" true) (\"goal\" false)))"
    );
    assert_eq!(
        expr("x = Point { x: 1, y: 2 }"),
        "(= x (struct Point (x 1) (y 2)))"
    );
    assert_eq!(
        expr("x = Point {\n x: 1\n y: 2,\n}"),
        "(= x (struct Point (x 1) (y 2)))"
    );
    assert_eq!(expr("x = Empty {}"), "(= x (struct Empty))");
    assert_eq!(expr("x = node { v: 1 }"), "(= x (struct node (v 1)))");
    assert_eq!(
        expr("f(P { a: [1], b: {k: 2} })"),
        "(call f (struct P (a (list 1)) (b (map (\"k\" 2)))))"
    );
}

#[test]
fn lambdas() {
    assert_eq!(
        expr("f = fun (a: int): int => a + 1"),
        "(= f (fun (a:int) int => (+ a 1)))"
    );
    assert_eq!(
        expr("f = fun (a: int, b): int { return a }"),
        "(= f (fun (a:int b:_) int (block (return a))))"
    );
    assert_eq!(expr("g(fun() => 1)"), "(call g (fun () _ => 1))");
    assert_eq!(
        expr("f = fun(x: int) => x * 2 + 1"),
        "(= f (fun (x:int) _ => (+ (* x 2) 1)))"
    );
}

#[test]
fn if_expressions() {
    assert_eq!(
        ok("let s = if n < 0 then \"neg\" else \"pos\""),
        "(let s _ (if-expr (< n 0) \"neg\" \"pos\"))"
    );
    assert_eq!(
        ok("let l = if n % 2 == 0 { \"even\" } else if n % 3 == 0 { \"t\" } else { \"odd\" }"),
        "(let l _ (if-expr (== (% n 2) 0) \"even\" (if-expr (== (% n 3) 0) \"t\" \"odd\")))"
    );
    assert_eq!(ok("let x = if c { 1 }"), "(let x _ (if-expr c 1))");
    assert_eq!(
        ok("return if a { b } else { c } + 1"),
        "(return (+ (if-expr a b c) 1))"
    );
    assert_eq!(
        ok("let x = if c then 1 else if d then 2 else 3"),
        "(let x _ (if-expr c 1 (if-expr d 2 3)))"
    );
    assert_eq!(codes("let x = if c { let y = 1 }"), ["P019"]);
    assert_eq!(codes("let x = if c { 1 2 }"), ["P019"]);
}

// ----- statements ----------------------------------------------------------------------

#[test]
fn declarations() {
    assert_eq!(ok("let x = 1"), "(let x _ 1)");
    assert_eq!(ok("let x: int = 1"), "(let x int 1)");
    assert_eq!(ok("var x"), "(var x _)");
    assert_eq!(ok("var xs: list<int>"), "(var xs list<int>)");
    assert_eq!(
        ok("var m: map<string, list<int>> = {}"),
        "(var m map<string,list<int>> (map))"
    );
    assert_eq!(
        ok("var f: fun(int, string): bool"),
        "(var f fun(int,string):bool)"
    );
    assert_eq!(ok("var f: fun(int)"), "(var f fun(int))");
    assert_eq!(
        ok("var f: fun(): fun(int): int"),
        "(var f fun():fun(int):int)"
    );
    // `let x` parses; the checker rejects it (T000).
    assert_eq!(ok("let x"), "(let x _)");
    // LANGUAGE.md §19.5: a type alone is enough; the value is the type's zero value.
    assert_eq!(ok("let x: int"), "(let x int)");
}

#[test]
fn assignments() {
    assert_eq!(ok("x = 1"), "(= x 1)");
    assert_eq!(ok("grid[r][c] = v"), "(= (index (index grid r) c) v)");
    assert_eq!(ok("p.x = v"), "(= (. p x) v)");
    assert_eq!(ok("items[i].count = v"), "(= (. (index items i) count) v)");
    assert_eq!(ok("a.b.c = 1"), "(= (. (. a b) c) 1)");
    assert_eq!(codes("p.items[i] = v"), ["P014"]);
    assert_eq!(codes("f() = 1"), ["P014"]);
    assert_eq!(codes("1 = 2"), ["P014"]);
    assert_eq!(codes("x[1:2] = 3"), ["P014"]);
    assert_eq!(codes("a + b = 3\nx = 1"), ["P014"]);
}

#[test]
fn functions() {
    assert_eq!(
        ok("fun add(a: int, b: int): int {\n  return a + b\n}"),
        "(fun add (a:int b:int) int (block (return (+ a b))))"
    );
    assert_eq!(ok("fun f() {}"), "(fun f () _ (block))");
    assert_eq!(
        ok("fun f(x) { return }"),
        "(fun f (x:_) _ (block (return)))"
    );
    assert_eq!(
        ok("fun outer() {\n  fun inner(n: int): int { return n }\n  inner(1)\n}"),
        "(fun outer () _ (block (fun inner (n:int) int (block (return n))) (call inner 1)))"
    );
    assert_eq!(
        ok(
            "fun makeCounter(): fun(): int {\n var n = 0\n return fun(): int {\n n = n + 1\n return n\n }\n}"
        ),
        "(fun makeCounter () fun():int (block (var n _ 0) (return (fun () int (block (= n (+ n 1)) (return n))))))"
    );
}

#[test]
fn return_forms() {
    assert_eq!(
        ok("fun f() {\n  return\n}"),
        "(fun f () _ (block (return)))"
    );
    assert_eq!(
        ok("fun f() { if x { return } }"),
        "(fun f () _ (block (if x (block (return)))))"
    );
    assert_eq!(
        ok("fun f() {\n  return\n  if x { y() }\n}"),
        "(fun f () _ (block (return) (if x (block (call y)))))"
    );
    assert_eq!(
        ok("fun f() { return {} }"),
        "(fun f () _ (block (return (map))))"
    );
    assert_eq!(
        ok("fun f() { return -1 }"),
        "(fun f () _ (block (return (neg 1))))"
    );
}

#[test]
fn control_flow() {
    assert_eq!(
        ok("if a { x() } else if b { y() } else { z() }"),
        "(if a (block (call x)) (block (if b (block (call y)) (block (call z)))))"
    );
    assert_eq!(ok("if a {\n}"), "(if a (block))");
    assert_eq!(
        ok("while i < n { i = i + 1 }"),
        "(while (< i n) (block (= i (+ i 1))))"
    );
    assert_eq!(ok("while true { break }"), "(while true (block (break)))");
    assert_eq!(
        ok("for i in 0..n { continue }"),
        "(for i 0 .. n (block (continue)))"
    );
    assert_eq!(
        ok("for i in a + 1..len(xs) - 1 {}"),
        "(for i (+ a 1) .. (- (call len xs) 1) (block))"
    );
    assert_eq!(
        ok("for x in xs { print(x) }"),
        "(for x in xs (block (call print x)))"
    );
    assert_eq!(
        ok("for k in keys(m) {}"),
        "(for k in (call keys m) (block))"
    );
    assert_eq!(ok("{ let x = 1 }"), "(block (let x _ 1))");
    assert_eq!(
        ok("test \"adds\" {\n  expect add(1, 2) == 3\n}"),
        "(test \"adds\" (block (expect (== (call add 1 2) 3))))"
    );
    assert_eq!(
        ok("if c then a() else b()"),
        "(if-expr c (call a) (call b))"
    );
}

// ----- struct literal vs block ---------------------------------------------------------

#[test]
fn struct_literal_vs_block() {
    assert_eq!(ok("if x { y() }"), "(if x (block (call y)))");
    assert_eq!(ok("if X { y() }"), "(if X (block (call y)))");
    assert_eq!(ok("if x {}"), "(if x (block))");
    assert_eq!(ok("while cond { }"), "(while cond (block))");
    assert_eq!(ok("for x in xs { }"), "(for x in xs (block))");
    assert_eq!(ok("for x in Xs { x = 1 }"), "(for x in Xs (block (= x 1)))");
    assert_eq!(ok("for i in 0..n {}"), "(for i 0 .. n (block))");
    assert_eq!(
        ok("let y = match e { _ => 1 }"),
        "(let y _ (match e (_ => 1)))"
    );
    // A struct literal in a condition is still recognised by its `field:`.
    assert_eq!(
        ok("if p == Point { x: 1, y: 2 } { f() }"),
        "(if (== p (struct Point (x 1) (y 2))) (block (call f)))"
    );
    assert_eq!(
        ok("if s == Empty {} { f() }"),
        "(if (== s (struct Empty)) (block (call f)))"
    );
    assert_eq!(
        ok("if (s == Empty {}) { f() }"),
        "(if (== s (struct Empty)) (block (call f)))"
    );
    assert_eq!(
        ok("while f(P {}) {}"),
        "(while (call f (struct P)) (block))"
    );
    assert_eq!(
        ok("let v = if x { P { a: 1 } } else { Q {} }"),
        "(let v _ (if-expr x (struct P (a 1)) (struct Q)))"
    );
    assert_eq!(ok("if a in m { }"), "(if (in a m) (block))");
}

// ----- match ---------------------------------------------------------------------------

#[test]
fn match_expressions() {
    let src = "fun area(s: Shape): float {
  return match s {
    Circle(r) => 3.0 * r * r
    Rect(w, h) => w * h
    _ => 0.0
  }
}";
    assert_eq!(
        ok(src),
        "(fun area (s:Shape) float (block (return (match s (Circle(r) => (* (* 3.0 r) r)) (Rect(w h) => (* w h)) (_ => 0.0)))))"
    );
    assert_eq!(
        ok(
            "let x = match n { 1 => \"one\", -1 => \"minus\", 2.5 => \"f\", \"s\" => 1, true => 2, none => 3, Leaf => 4, Node(l, _, r) => 5 }"
        ),
        "(let x _ (match n (1 => \"one\") (-1 => \"minus\") (2.5 => \"f\") (\"s\" => 1) (true => 2) (none => 3) (Leaf => 4) (Node(l _ r) => 5)))"
    );
    assert_eq!(
        ok("match t {\n  Leaf => { print(1) }\n  _ => {}\n}"),
        "(match t (Leaf => (block (call print 1))) (_ => (block)))"
    );
    assert_eq!(
        ok("let d = match t { Node(l, v, r) => match l { Leaf => 0, _ => 1 }, _ => 2 }"),
        "(let d _ (match t (Node(l v r) => (match l (Leaf => 0) (_ => 1))) (_ => 2)))"
    );
    assert_eq!(
        ok("let x = match n { [1] => 2, Empty {} => 3 }"),
        "(let x _ (match n ((list 1) => 2) ((struct Empty) => 3)))"
    );
    assert_eq!(codes("let x = match n { * => 2 }"), ["P020"]);
}

// ----- type declarations ---------------------------------------------------------------

#[test]
fn type_declarations() {
    assert_eq!(
        ok("type Planet {\n  name: string\n  mass: float\n}"),
        "(type Planet (struct (name string) (mass float)))"
    );
    assert_eq!(
        ok("type P { a: int, b: list<int>, }"),
        "(type P (struct (a int) (b list<int>)))"
    );
    assert_eq!(
        ok("type Pair = { left: int, right: int }"),
        "(type Pair (struct (left int) (right int)))"
    );
    assert_eq!(
        ok("type Counter {\n  n: int\n  fun get(): int { return n }\n}"),
        "(type Counter (struct (n int) (fun get () int (block (return n)))))"
    );
    assert_eq!(
        ok("type Shape =\n  Circle(r: float)\n  | Rect(w: float, h: float)\n  | Empty {}"),
        "(type Shape (union (Circle (r float)) (Rect (w float) (h float)) (Empty)))"
    );
    assert_eq!(
        ok("type Tree = Leaf | Node(left: Tree, value: int, right: Tree)"),
        "(type Tree (union (Leaf) (Node (left Tree) (value int) (right Tree))))"
    );
    assert_eq!(
        ok("type C = | Red | Green"),
        "(type C (union (Red) (Green)))"
    );
    assert_eq!(
        ok("type Fn = fun(int): int"),
        "(type Fn (alias fun(int):int))"
    );
    assert_eq!(ok("type L = list<int>"), "(type L (alias list<int>))");
    assert_eq!(ok("type I = int"), "(type I (alias int))");
    assert_eq!(
        ok("type T = A | B\nfun f() {}"),
        "(type T (union (A) (B)))\n(fun f () _ (block))"
    );
    // A type declared in a block is hoisted to the top level.
    assert_eq!(
        ok("fun f() { type T = int }"),
        "(fun f () _ (block (block)))\n(type T (alias int))"
    );
}

// ----- node ids ------------------------------------------------------------------------

#[test]
fn node_ids_are_dense_and_unique() {
    let src = "fun f(a: int): int { return a + 1 }\nlet x = [f(1), P { y: 2 }]\nfor i in 0..3 { print(i) }";
    let file = SourceFile::new("t.mochi", src);
    let (prog, diags) = parse(&file);
    assert!(diags.is_empty());
    let mut ids = Vec::new();
    collect_ids(&prog, &mut ids);
    ids.sort();
    let n = ids.len() as u32;
    assert_eq!(prog.node_count, n);
    assert_eq!(ids, (0..n).collect::<Vec<_>>());
}

fn collect_ids(p: &crate::ast::Program, out: &mut Vec<u32>) {
    use crate::ast::*;
    fn ident(i: &Ident, out: &mut Vec<u32>) {
        out.push(i.id.0);
    }
    fn fun(f: &FunDecl, out: &mut Vec<u32>) {
        out.push(f.id.0);
        if let Some(n) = &f.name {
            ident(n, out);
        }
        for p in &f.params {
            ident(&p.name, out);
        }
        match &f.body {
            FunBody::Block(b) => block(b, out),
            FunBody::Expr(e) => expr(e, out),
        }
    }
    fn block(b: &Block, out: &mut Vec<u32>) {
        for s in &b.stmts {
            stmt(s, out);
        }
    }
    fn stmt(s: &Stmt, out: &mut Vec<u32>) {
        match &s.kind {
            StmtKind::Let { name, value, .. } => {
                ident(name, out);
                if let Some(v) = value {
                    expr(v, out);
                }
            }
            StmtKind::Assign { target, value } => {
                expr(target, out);
                expr(value, out);
            }
            StmtKind::Expr(e) | StmtKind::Expect(e) | StmtKind::Return(Some(e)) => expr(e, out),
            StmtKind::Fun(f) => fun(f, out),
            StmtKind::ForRange {
                var,
                start,
                end,
                body,
            } => {
                ident(var, out);
                expr(start, out);
                expr(end, out);
                block(body, out);
            }
            StmtKind::ForIn { var, iter, body } => {
                ident(var, out);
                expr(iter, out);
                block(body, out);
            }
            StmtKind::Block(b) => block(b, out),
            _ => panic!("collect_ids: statement not covered by this test"),
        }
    }
    fn expr(e: &Expr, out: &mut Vec<u32>) {
        out.push(e.id.0);
        match &e.kind {
            ExprKind::List(xs) => xs.iter().for_each(|x| expr(x, out)),
            ExprKind::Call { callee, args } => {
                expr(callee, out);
                args.iter().for_each(|x| expr(x, out));
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                expr(lhs, out);
                expr(rhs, out);
            }
            ExprKind::StructLit { name, fields } => {
                ident(name, out);
                for (f, v) in fields {
                    ident(f, out);
                    expr(v, out);
                }
            }
            ExprKind::Int(_) | ExprKind::Name(_) => {}
            _ => panic!("collect_ids: expression not covered by this test"),
        }
    }
    for s in &p.stmts {
        stmt(s, out);
    }
}

#[test]
fn spans_cover_statements() {
    let src = "let x = foo(1, 2)\nprint(x)";
    let file = SourceFile::new("t.mochi", src);
    let (prog, _) = parse(&file);
    let s = &prog.stmts[0];
    assert_eq!((s.span.start, s.span.end), (0, 17));
    let StmtKind::Let { value: Some(v), .. } = &s.kind else {
        panic!()
    };
    assert!(matches!(v.kind, ExprKind::Call { .. }));
    assert_eq!((v.span.start, v.span.end), (8, 17));
    assert_eq!((prog.stmts[1].span.start, prog.stmts[1].span.end), (18, 26));
}

// ----- errors and recovery -------------------------------------------------------------

#[test]
fn error_recovery_reports_every_statement() {
    let src = "let x = (1 +\nlet y = 2\nprint(y))\nvar = 3\nfun f( { }\nlet ok = 1\n";
    let (dump, codes) = parse_dump(src);
    assert!(codes.len() >= 3, "{codes:?}");
    assert!(dump.contains("(let y _ 2)"), "{dump}");
    assert!(dump.contains("(let ok _ 1)"), "{dump}");
}

#[test]
fn errors_inside_blocks_recover_inside_the_block() {
    let src = "fun f() {\n  let a = )\n  let b = 2\n  c = = 3\n  return b\n}\nlet after = 1";
    let (dump, codes) = parse_dump(src);
    assert_eq!(codes, ["P011", "P011"]);
    assert_eq!(
        dump,
        "(fun f () _ (block (let b _ 2) (return b)))\n(let after _ 1)"
    );
}

#[test]
fn compatibility_syntax() {
    // LANGUAGE.md §19.5: unbraced `else` operands extend as far as possible; braced ones
    // end at their `}`.
    assert_eq!(
        ok("let x = if c { 1 } else 2 + 3"),
        "(let x _ (if-expr c 1 (+ 2 3)))"
    );
    assert_eq!(
        ok("let x = if c { 1 } else { 2 } + 3"),
        "(let x _ (+ (if-expr c 1 2) 3))"
    );
    assert_eq!(
        ok("let x = if a { 1 } else if b { 2 } else -n"),
        "(let x _ (if-expr a 1 (if-expr b 2 (neg n))))"
    );
    assert_eq!(
        ok("let x = if a then 1 else { 2 }"),
        "(let x _ (if-expr a 1 2))"
    );
    // A `{` after `else` that is not a braced branch starts a map literal.
    assert_eq!(
        ok("let m = if c then {\"a\": 1} else {\"b\": 2}"),
        "(let m _ (if-expr c (map (\"a\" 1)) (map (\"b\" 2))))"
    );
    assert_eq!(
        ok("let m = if c { x } else {}"),
        "(let m _ (if-expr c x (map)))"
    );
    assert_eq!(codes("let m = if c { x } else { let y = 1 }"), ["P019"]);
    // As a statement, `if` keeps its braced `else`.
    assert_eq!(codes("if c { f() } else g()"), ["P010"]);
    assert_eq!(
        ok("var m: map<int, int> = {:}"),
        "(var m map<int,int> (map))"
    );
    assert_eq!(ok("let m = { : }"), "(let m _ (map))");
    assert_eq!(
        ok("var xs: [[int]] = []"),
        "(var xs list<list<int>> (list))"
    );
    assert_eq!(
        ok("fun f(src: [float]): [string] {}"),
        "(fun f (src:list<float>) list<string> (block))"
    );
    assert_eq!(ok("let y = x as [int]"), "(let y _ (as x list<int>))");
    assert_eq!(ok("bench \"b\" { f() }"), "(bench \"b\" (block (call f)))");
    // `bench` is not reserved.
    assert_eq!(
        ok("let bench = 1\nbench = 2"),
        "(let bench _ 1)\n(= bench 2)"
    );
}

#[test]
fn imports_and_externs() {
    assert_eq!(
        ok("import python \"math\" as m"),
        "(import python \"math\" m)"
    );
    assert_eq!(
        ok("import go \"mochi/runtime/ffi/go/testpkg\" auto"),
        "(import go \"mochi/runtime/ffi/go/testpkg\" testpkg)"
    );
    assert_eq!(
        ok("import \"./util.mochi\""),
        "(import _ \"./util.mochi\" util)"
    );
    assert_eq!(
        ok("extern fun math.sqrt(x: float): float"),
        "(extern math.sqrt (x:float) float)"
    );
    assert_eq!(ok("extern fun read(path)"), "(extern read (path) _)");
    assert_eq!(
        ok("extern let math.pi: float"),
        "(extern math.pi let float)"
    );
    assert_eq!(ok("extern var x: int"), "(extern x var int)");
    assert_eq!(
        ok("extern type T\nextern object O"),
        "(extern T opaque)\n(extern O opaque)"
    );
}

#[test]
fn specific_error_codes() {
    assert_eq!(codes("print(1"), ["P010"]);
    assert_eq!(codes("}"), ["P016"]);
    assert_eq!(codes("import ruby \"math\""), ["P064"]);
    assert_eq!(codes("fun f() { import go \"os\" }"), ["P065"]);
    assert_eq!(codes("fun f() { extern fun g(): int }"), ["P065"]);
    assert_eq!(codes("let x = fetch \"u\""), ["P017"]);
    // LANGUAGE.md §14: generics, optional types and `model` name the feature too.
    assert_eq!(codes("fun id<T>(x: T): T { return x }"), ["P017"]);
    assert_eq!(codes("type Box<T> { v: T }"), ["P017"]);
    assert_eq!(codes("let x: int? = none"), ["P017"]);
    assert_eq!(codes("fun f(xs: list<string?>) {}"), ["P017"]);
    assert_eq!(codes("print(m?.a)"), ["P017"]);
    assert_eq!(codes("print(xs?[0])"), ["P017"]);
    assert_eq!(codes("model m { provider: \"x\" }"), ["P017"]);
    assert_eq!(ok("let model = a ?? b"), "(let model _ (?? a b))");
    assert_eq!(codes("fun f() {"), ["P021"]);
    assert_eq!(codes("let 1 = 2"), ["P012"]);
    assert_eq!(codes("var x: = 1"), ["P013"]);
    assert_eq!(codes("let x = 99999999999999999999"), ["P045"]);
    assert_eq!(codes("let x = 1 +"), ["P011"]);
    assert_eq!(codes("for 1 in xs {}"), ["P012"]);
    assert_eq!(codes("for x of xs {}"), ["P010"]);
    assert_eq!(codes("else { }"), ["P011"]);
    assert_eq!(codes("let none = 1"), ["P012"]);
}

#[test]
fn diagnostics_are_sorted_by_position() {
    let file = SourceFile::new("t.mochi", "let a = 1 +\nlet b = \"x\\q\"\nlet c = )");
    let (_, diags) = parse(&file);
    let starts: Vec<u32> = diags.iter().map(|d| d.span.start).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    assert_eq!(diags.len(), 3);
}

#[test]
fn deep_nesting_is_a_diagnostic() {
    for (open, close) in [("(", ")"), ("[", "]"), ("-", ""), ("!", ""), ("{a: ", "}")] {
        let src = format!("let x = {}1{}", open.repeat(5000), close.repeat(5000));
        let c = codes(&src);
        assert!(c.contains(&"P030"), "{open}: {c:?}");
    }
    let src = format!("{}{}", "if x {".repeat(3000), "}".repeat(3000));
    assert!(codes(&src).contains(&"P030"));
    let src = format!("let x = 1{}", " + 1".repeat(200_000));
    assert!(codes(&src).contains(&"P030"));
    let src = format!("let x = f{}", "(1)".repeat(200_000));
    assert!(codes(&src).contains(&"P030"));
    let src = format!("if x {{}}{}", " else if x {}".repeat(200_000));
    assert!(codes(&src).contains(&"P030"));
    // Moderate nesting is fine.
    let src = format!("let x = {}1{}", "(".repeat(200), ")".repeat(200));
    assert!(codes(&src).is_empty());
}

/// Flat chains (LANGUAGE.md puts no bound on them) are read in loops: thousands of
/// operators, postfix operations and `else if` branches parse, into the tree they denote.
#[test]
fn long_flat_chains_parse() {
    // The trees are 20,000 deep: dropping one recurses, so not on a 2 MB test thread.
    let run = || {
        let n = 20_000;
        for src in [
            format!("let x = 1{}", " + 1".repeat(n)),
            format!("let x = a{}", " && b || c".repeat(n / 2)),
            format!("let x = f{}", "(1).y[0]".repeat(n / 3)),
            format!(
                "if a {{ f() }}{} else {{ h() }}",
                " else if b { g() }".repeat(n)
            ),
            format!(
                "let x = if a {{ 1 }}{} else {{ 3 }}",
                " else if b { 2 }".repeat(n)
            ),
            format!(
                "let x = if a then 1{} else 3",
                " else if b then 2".repeat(n)
            ),
        ] {
            assert_eq!(codes(&src), Vec::<&str>::new(), "{}", &src[..40]);
        }
        assert_eq!(
            ok("if a { f() } else if b { g() } else if c then 1 else 2"),
            "(if a (block (call f)) (block (if b (block (call g)) (block (if-expr c 1 2)))))"
        );
        assert_eq!(
            ok("let x = if a { 1 } else if b { 2 } else if c then 3 else 4"),
            "(let x _ (if-expr a 1 (if-expr b 2 (if-expr c 3 4))))"
        );
    };
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn large_input_parses_quickly() {
    let unit = "fun f(a: int, b: list<int>): int {\n  var s = 0\n  for x in b { s = s + x * a }\n  if s > 10 { return s } else { return -s }\n}\nlet m = {\"k\": [1, 2, 3], k2: P { x: 1.5 }}\nprint(f(2, [1, 2, 3]) + len(m))\n";
    let src = unit.repeat(1_000_000 / unit.len() + 1);
    let t = std::time::Instant::now();
    let file = SourceFile::new("big.mochi", src);
    let (prog, diags) = parse(&file);
    assert!(diags.is_empty());
    assert!(prog.stmts.len() > 10_000);
    assert!(t.elapsed().as_secs_f64() < 5.0, "took {:?}", t.elapsed());
}

#[test]
fn realistic_program() {
    let src = r#"
// Sieve and friends.
type Pair = { a: int, b: int }
type Stack {
  items: list<int>
  fun size(): int { return len(items) }
}

fun sieve(n: int): list<int> {
  var flags: list<bool> = []
  var i = 0
  while i <= n {
    flags = append(flags, true)
    i = i + 1
  }
  var primes = []
  for p in 2..n + 1 {
    if !flags[p] { continue }
    primes = append(primes, p)
    var k = p * p
    while k <= n { flags[k] = false; k = k + p }
  }
  return primes
}

fun main() {
  let ps = sieve(50)
  print("primes:", str(ps))
  let m: map<string, int> = {"two": 2, three: 3}
  var total = 0.0
  for k in m { total = total + (m[k] as float) / 2.0 }
  let label = if total > 1.0 { "big" } else { "small" }
  print(label, ps[len(ps) - 1], ps[1:3], ps[:2], ps[len(ps)-2:])
  let p = Pair { a: 1, b: 2 }
  p.a = p.b * -1
  let sq = fun(x: int): int => x * x
  print(sq(p.a) == 1 && !(3 in ps) || false)
}
main()
"#;
    let out = ok(src);
    assert_eq!(out.lines().count(), 5);
}

/// Every recursive construct nested far past MAX_DEPTH is a P030, not a stack overflow.
/// (At opt-level 1 each of these needs well under 1 MB of stack; test threads have 2 MB.)
#[test]
fn deep_nesting_every_construct() {
    for case in [
        "paren",
        "brack",
        "neg",
        "map",
        "if",
        "call",
        "rhs",
        "struct",
        "lambda",
        "lambdablock",
        "match",
        "ifexpr",
        "elseif",
        "index",
        "type",
        "funtype",
    ] {
        let c = codes(&deep_source(case));
        assert!(c.contains(&"P030"), "{case}: {c:?}");
    }
}

fn deep_source(case: &str) -> String {
    match case {
        "paren" => format!("let x = {}1{}", "(".repeat(5000), ")".repeat(5000)),
        "brack" => format!("let x = {}1{}", "[".repeat(5000), "]".repeat(5000)),
        "neg" => format!("let x = {}1", "-".repeat(5000)),
        "map" => format!("let x = {}1{}", "{a: ".repeat(5000), "}".repeat(5000)),
        "if" => format!("{}{}", "if x {".repeat(3000), "}".repeat(3000)),
        "call" => format!("let x = {}1{}", "f(".repeat(5000), ")".repeat(5000)),
        "rhs" => format!("let x = {}1{}", "1 + (".repeat(5000), ")".repeat(5000)),
        "struct" => format!("let x = {}1{}", "P { a: ".repeat(5000), "}".repeat(5000)),
        "lambda" => format!("let x = {}1", "fun() => ".repeat(5000)),
        "lambdablock" => format!("let x = {}{}", "fun() { ".repeat(5000), "}".repeat(5000)),
        "match" => format!(
            "let x = {}1{}",
            "match x { _ => ".repeat(5000),
            "}".repeat(5000)
        ),
        "ifexpr" => format!("let x = {}1{}", "if x { ".repeat(5000), "}".repeat(5000)),
        "elseif" => format!(
            "if x {{}}{}{}",
            " else if x { if x {".repeat(3000),
            "} }".repeat(3000)
        ),
        "index" => format!("let x = {}1{}", "a[".repeat(5000), "]".repeat(5000)),
        "type" => format!("var x: {}int{}", "list<".repeat(5000), ">".repeat(5000)),
        "funtype" => format!("var x: {}int", "fun(): ".repeat(5000)),
        _ => unreachable!(),
    }
}

#[test]
fn corpus_style_snippets() {
    assert_eq!(
        ok("let x = -9223372036854775807 - 1"),
        "(let x _ (- (neg 9223372036854775807) 1))"
    );
    assert_eq!(
        ok("m = {1: [2], 0: []}"),
        "(= m (map (1 (list 2)) (0 (list))))"
    );
    assert_eq!(
        ok("let fns = [fun(x: int): int => x + 1]\nfns[0](2)"),
        "(let fns _ (list (fun (x:int) int => (+ x 1))))\n(call (index fns 0) 2)"
    );
    assert_eq!(
        ok("let d = match t { Leaf => 0 Node(l, v, r) => v }"),
        "(let d _ (match t (Leaf => 0) (Node(l v r) => v)))"
    );
    assert_eq!(ok("if x == none { }"), "(if (== x none) (block))");
    assert_eq!(
        ok("xs[i] = xs[i] + 1"),
        "(= (index xs i) (+ (index xs i) 1))"
    );
    assert_eq!(
        ok("print(\"a\" + str(1))"),
        "(call print (+ \"a\" (call str 1)))"
    );
    assert_eq!(
        ok("let u = union(a, b)\nunion(c, d)"),
        "(let u _ (call union a b))\n(call union c d)"
    );
    assert_eq!(ok("let a = x\n  union all y"), "(let a _ (union-all x y))");
    assert_eq!(ok("for ch in \"abc\" { }"), "(for ch in \"abc\" (block))");
    assert_eq!(
        ok("fun f(g: fun(int): int, x: int): int { return g(x) }"),
        "(fun f (g:fun(int):int x:int) int (block (return (call g x))))"
    );
    assert_eq!(ok("let t = s.x.y[0]"), "(let t _ (index (. (. s x) y) 0))");
    assert_eq!(
        ok("let x = (if a then 1 else 2) + 3"),
        "(let x _ (+ (if-expr a 1 2) 3))"
    );
}

/// Every `"Pnnn"` code used by the lexer and parser appears in `parser::CODES`, once.
#[test]
fn code_table_is_complete() {
    use crate::parser::CODES;
    let mut seen = std::collections::HashSet::new();
    for (code, meaning) in CODES {
        assert!(seen.insert(*code), "duplicate {code}");
        assert!(!meaning.is_empty());
    }
    for src in [include_str!("../lexer.rs"), include_str!("../parser.rs")] {
        for (i, _) in src.match_indices("\"P0") {
            let code = &src[i + 1..i + 5];
            assert!(seen.contains(code), "{code} missing from CODES");
        }
    }
}
