//! The program generator: a seed → the text of a well-typed Mochi program that terminates
//! quickly and prints a lot.
//!
//! How termination and size stay bounded:
//! * every loop has a trip count known at generation time (`for i in A..B` with literal
//!   bounds or `0..(e % K)`, `for x in xs[0:K]`, counted `while`, maps whose key space is a
//!   small fixed set), and the generator keeps a cost estimate (statements × enclosing trip
//!   counts, plus the callee's cost at each call) under a budget per function;
//! * a function only calls functions generated before it, the closures in scope and the
//!   recursion templates, whose depth argument is reduced modulo a bound at every call site;
//! * an int stored into a variable is reduced modulo a literal (values still cross 2^63 and
//!   come back inside expressions), a string stored is cut to its last 40 code points and a
//!   list stored (other than by `append`) to its first 20 elements;
//! * divisors are nonzero literals or `(e % K + K + 1)`; indices that must hit are taken
//!   modulo the length; `as int` only sees strings it can parse and small floats.
//!
//! Functions never read globals (so hoisting cannot expose an uninitialised global), and
//! nothing in normal mode raises a runtime error.

use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    Int,
    Float,
    Str,
    Bool,
    ListInt,
    ListStr,
    MapStrInt,
    MapIntStr,
    Point,
    Shape,
    /// `fun(int): int`, only ever a closure bound to a name.
    FnInt,
}

use Ty::*;

/// Types of values that parameters, prints and declarations use.
const VALUE_TYS: &[Ty] = &[
    Int, Float, Str, Bool, ListInt, ListStr, MapStrInt, MapIntStr, Point, Shape,
];
const PARAM_TYS: &[Ty] = &[
    Int, Int, Float, Str, ListInt, ListStr, MapStrInt, MapIntStr, Point, Shape,
];
const RET_TYS: &[Ty] = &[Int, Int, Float, Str, Bool, ListInt, ListStr, Point];

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Int => "int",
            Float => "float",
            Str => "string",
            Bool => "bool",
            ListInt => "list<int>",
            ListStr => "list<string>",
            MapStrInt => "map<string, int>",
            MapIntStr => "map<int, string>",
            Point => "Point",
            Shape => "Shape",
            FnInt => "fun(int): int",
        }
    }
}

const EDGE_INTS: &[&str] = &[
    "0",
    "1",
    "(-1)",
    "2",
    "3",
    "7",
    "10",
    "(-13)",
    "100",
    "255",
    "65536",
    "4294967296",
    "(-4294967296)",
    "3037000499",
    "3037000500",
    "140737488355327",
    "140737488355328",
    "(-140737488355328)",
    "281474976710655",
    "4611686018427387904",
    "9223372036854775807",
    "(-9223372036854775807)",
    "(-9223372036854775807 - 1)",
];
const SMALL_INTS: &[&str] = &["0", "1", "2", "3", "5", "8", "13", "42", "(-4)", "99"];
const FLOATS: &[&str] = &[
    "0.0",
    "0.5",
    "1.5",
    "(-2.25)",
    "0.1",
    "0.2",
    "3.0",
    "1e-7",
    "1e21",
    "123456789.0",
    "1e300",
    "(-1e300)",
    "1e-300",
    "2.5e-5",
    "1000000.0",
    "31557600.0",
    "(-0.0)",
    "6.02e23",
];
const STRS: &[&str] = &[
    "\"\"",
    "\"a\"",
    "\"abc\"",
    "\"héllo\"",
    "\"🐶🐺\"",
    "\"x y\"",
    "\"tab\\t\"",
    "\"q\\\"uote\"",
    "\"line\\nbreak\"",
    "\"ÅΩ\"",
    "\"0\"",
    "\"-12\"",
    "\"Zebra\"",
];
const STR_KEYS: &[&str] = &[
    "\"a\"", "\"b\"", "\"k1\"", "\"zz\"", "\"10\"", "\"9\"", "\"\"",
];
const INT_KEYS: &[&str] = &["0", "1", "2", "3", "7", "10", "100"];
const INT_WRAPS: &[&str] = &[
    "1000003",
    "4294967296",
    "9223372036854775807",
    "140737488355328",
    "97",
];

/// How a call site builds one argument.
#[derive(Clone, Copy, Debug)]
enum Arg {
    Any(Ty),
    /// An int reduced modulo the bound (may be negative: templates stop on `n <= 0`).
    Bounded(i64),
    /// `abs(e % bound)`.
    BoundedAbs(i64),
}

#[derive(Clone, Debug)]
struct FnSig {
    name: String,
    args: Vec<Arg>,
    ret: Ty,
    /// Estimated ops of one call.
    cost: u64,
}

#[derive(Clone, Debug)]
struct Var {
    name: String,
    ty: Ty,
    mutable: bool,
}

struct Gen {
    rng: Rng,
    out: String,
    indent: usize,
    scopes: Vec<Vec<Var>>,
    funcs: Vec<FnSig>,
    /// `funcs[..callable]` may be called from the body being generated.
    callable: usize,
    next_id: usize,
    /// Product of the trip counts of the enclosing loops.
    mult: u64,
    cost: u64,
    budget: u64,
    loop_depth: usize,
    /// False while generating `area`/`describe` themselves.
    shape_helpers: bool,
    /// Lists being iterated whole: the loop body must not grow them.
    frozen: Vec<String>,
}

/// A runtime error that [`generate_error`] plants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorMode {
    DivZeroInt,
    ModZeroInt,
    DivZeroFloat,
    ModZeroFloat,
    ListWriteOutOfRange,
    BadIntCast,
    Panic,
    StackOverflow,
    ExpectFailed,
}

impl ErrorMode {
    pub const ALL: &'static [ErrorMode] = &[
        ErrorMode::DivZeroInt,
        ErrorMode::ModZeroInt,
        ErrorMode::DivZeroFloat,
        ErrorMode::ModZeroFloat,
        ErrorMode::ListWriteOutOfRange,
        ErrorMode::BadIntCast,
        ErrorMode::Panic,
        ErrorMode::StackOverflow,
        ErrorMode::ExpectFailed,
    ];

    /// A fragment every tier's first stderr line must contain.
    pub fn message(self) -> &'static str {
        match self {
            ErrorMode::DivZeroInt
            | ErrorMode::ModZeroInt
            | ErrorMode::DivZeroFloat
            | ErrorMode::ModZeroFloat => "division by zero",
            ErrorMode::ListWriteOutOfRange => "index out of range",
            ErrorMode::BadIntCast => "cannot cast \"12a\" to int",
            ErrorMode::Panic => "boom",
            ErrorMode::StackOverflow => "stack overflow",
            ErrorMode::ExpectFailed => "expect condition failed",
        }
    }
}

/// A program that must stop with `mode`'s error on `line` (1-based).
#[derive(Clone, Debug)]
pub struct ErrorProgram {
    pub source: String,
    pub mode: ErrorMode,
    pub line: usize,
}

/// A well-typed program that runs to completion without a runtime error.
pub fn generate(seed: u64) -> String {
    let mut g = Gen::new(seed);
    g.program(None).0
}

/// A well-typed program that prints for a while, then fails with a known error on a known
/// line. `StackOverflow` is rarer than the others (it takes a million frames to reach).
pub fn generate_error(seed: u64) -> ErrorProgram {
    let mut g = Gen::new(seed ^ 0xE77);
    let mode = if g.rng.chance(1, 30) {
        ErrorMode::StackOverflow
    } else {
        let others: Vec<ErrorMode> = ErrorMode::ALL
            .iter()
            .copied()
            .filter(|m| *m != ErrorMode::StackOverflow)
            .collect();
        *g.rng.pick(&others)
    };
    let (source, line) = g.program(Some(mode));
    ErrorProgram {
        source,
        mode,
        line: line.expect("error line recorded"),
    }
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::new(seed),
            out: String::new(),
            indent: 0,
            scopes: vec![Vec::new()],
            funcs: Vec::new(),
            callable: 0,
            next_id: 0,
            mult: 1,
            cost: 0,
            budget: 0,
            loop_depth: 0,
            shape_helpers: false,
            frozen: Vec::new(),
        }
    }

    // ---- emission -------------------------------------------------------------------

    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// The 1-based number of the next line to be emitted.
    fn next_line_no(&self) -> usize {
        self.out.matches('\n').count() + 1
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    fn declare(&mut self, name: &str, ty: Ty, mutable: bool) {
        self.scopes.last_mut().expect("scope").push(Var {
            name: name.to_string(),
            ty,
            mutable,
        });
    }

    fn vars(&self, ty: Ty, mutable_only: bool) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for scope in &self.scopes {
            for var in scope {
                if var.ty == ty
                    && (!mutable_only || (var.mutable && !self.frozen.contains(&var.name)))
                {
                    // A shadowing declaration hides the outer one; names are unique anyway.
                    v.retain(|n| *n != var.name);
                    v.push(var.name.clone());
                }
            }
        }
        v
    }

    fn pick_var(&mut self, ty: Ty) -> Option<String> {
        let vs = self.vars(ty, false);
        if vs.is_empty() {
            None
        } else {
            Some(self.rng.pick(&vs).clone())
        }
    }

    fn charge(&mut self, ops: u64) {
        self.cost = self.cost.saturating_add(self.mult.saturating_mul(ops));
    }

    fn can_afford(&self, ops: u64) -> bool {
        self.cost.saturating_add(self.mult.saturating_mul(ops)) <= self.budget
    }

    // ---- program --------------------------------------------------------------------

    fn program(&mut self, error: Option<ErrorMode>) -> (String, Option<usize>) {
        let r = &mut self.rng;
        let seed_note = r.next_u64() % 1_000_000;
        self.line(&format!("// generated by mochi-progen ({seed_note})"));
        self.prelude_types();
        self.recursion_templates();
        let nfuncs = self.rng.range(1, 5);
        for _ in 0..nfuncs {
            self.function();
        }
        // An error planted inside a function is declared before the main part.
        let mut error_fn: Option<(String, usize)> = None;
        if let Some(mode) = error
            && mode != ErrorMode::StackOverflow
            && self.rng.chance(1, 2)
        {
            let name = self.fresh("fails");
            self.line(&format!("fun {name}(a: int): int {{"));
            self.indent += 1;
            self.line("print(\"in\", a)");
            let line = self.error_stmt(mode);
            self.line("return a");
            self.indent -= 1;
            self.line("}");
            error_fn = Some((name, line));
        }
        let mut error_line = None;
        if error == Some(ErrorMode::StackOverflow) {
            let name = self.fresh("down");
            self.line(&format!("fun {name}(n: int): int {{"));
            self.indent += 1;
            self.line("if n < 0 {");
            self.line("  return 0");
            self.line("}");
            error_line = Some(self.next_line_no());
            self.line(&format!("return {name}(n + 1) + 1"));
            self.indent -= 1;
            self.line("}");
            error_fn = Some((name, 0));
        }
        self.callable = self.funcs.len();
        let wrap_main = self.rng.chance(1, 2);
        if wrap_main {
            self.line("fun main() {");
            self.indent += 1;
        }
        self.scopes = vec![Vec::new()];
        self.cost = 0;
        self.mult = 1;
        self.budget = 200_000;
        self.arith_edges();
        let nstmts = if error.is_some() {
            self.rng.range(3, 12)
        } else {
            self.rng.range(10, 30)
        };
        for _ in 0..nstmts {
            self.stmt();
        }
        if let Some(mode) = error {
            match error_fn.clone() {
                Some((name, line)) => {
                    if mode != ErrorMode::StackOverflow {
                        error_line = Some(line);
                    }
                    self.line(&format!("print({name}(1))"));
                }
                None => error_line = Some(self.error_stmt(mode)),
            }
            self.line("print(\"not reached\")");
        }
        if wrap_main {
            self.indent -= 1;
            self.line("}");
            self.line("main()");
        }
        (std::mem::take(&mut self.out), error_line)
    }

    /// Emits the statements that fail with `mode`; returns the failing line.
    fn error_stmt(&mut self, mode: ErrorMode) -> usize {
        let v = self.fresh("e");
        let k = self.rng.range(1, 99);
        let failing = match mode {
            ErrorMode::DivZeroInt => {
                self.line(&format!("var {v} = 0"));
                format!("print({k} / {v})")
            }
            ErrorMode::ModZeroInt => {
                self.line(&format!("var {v} = {k} - {k}"));
                format!("print({k} % {v})")
            }
            ErrorMode::DivZeroFloat => {
                self.line(&format!("var {v} = 0.0"));
                format!("print({k}.5 / {v})")
            }
            ErrorMode::ModZeroFloat => {
                self.line(&format!("var {v} = 0.0"));
                format!("print({k}.5 % {v})")
            }
            ErrorMode::ListWriteOutOfRange => {
                self.line(&format!("var {v} = [1, 2, {k}]"));
                format!("{v}[-100] = 1")
            }
            ErrorMode::BadIntCast => {
                self.line(&format!("var {v} = \"12a\""));
                format!("print({v} as int)")
            }
            ErrorMode::Panic => format!("panic(\"boom {k}\")"),
            ErrorMode::ExpectFailed => {
                self.line(&format!("var {v} = {k}"));
                format!("expect {v} == {v} + 1")
            }
            ErrorMode::StackOverflow => unreachable!("planted as a function"),
        };
        let line = self.next_line_no();
        self.line(&failing);
        line
    }

    fn prelude_types(&mut self) {
        self.line("type Point {");
        self.line("  x: int");
        self.line("  y: int");
        self.line("}");
        self.line("type Shape =");
        self.line("  Circle(r: float)");
        self.line("  | Rect(w: float, h: float)");
        self.line("  | Empty {}");
        // area and describe, with arms drawn from the generator.
        self.scopes = vec![vec![
            Var {
                name: "r".into(),
                ty: Float,
                mutable: false,
            },
            Var {
                name: "w".into(),
                ty: Float,
                mutable: false,
            },
            Var {
                name: "h".into(),
                ty: Float,
                mutable: false,
            },
        ]];
        self.budget = 0;
        self.scopes[0].retain(|v| v.name == "r");
        let c = self.expr(Float, 1);
        self.scopes[0] = ["w", "h"]
            .iter()
            .map(|n| Var {
                name: n.to_string(),
                ty: Float,
                mutable: false,
            })
            .collect();
        let r = self.expr(Float, 1);
        self.scopes[0].retain(|v| v.name == "r");
        self.line("fun area(s: Shape): float {");
        self.line("  return match s {");
        self.line(&format!("    Circle(r) => {c}"));
        self.line(&format!("    Rect(w, h) => {r}"));
        self.line("    _ => 0.0");
        self.line("  }");
        self.line("}");
        self.scopes[0] = vec![Var {
            name: "r".into(),
            ty: Float,
            mutable: false,
        }];
        let c = self.expr(Str, 1);
        self.line("fun describe(s: Shape): string {");
        self.line("  return match s {");
        self.line(&format!("    Circle(r) => \"circle \" + {c}"));
        self.line("    Rect(w, h) => \"rect \" + str(w) + \"x\" + str(h)");
        self.line("    Empty => \"empty\"");
        self.line("  }");
        self.line("}");
        self.scopes = vec![Vec::new()];
        self.shape_helpers = true;
    }

    fn recursion_templates(&mut self) {
        let k = self.rng.range(2, 9);
        let m = *self.rng.pick(INT_WRAPS);
        self.line("fun rsum(n: int, acc: int): int {");
        self.line("  if n <= 0 {");
        self.line("    return acc");
        self.line("  }");
        self.line(&format!("  return rsum(n - 1, (acc * {k} + n) % {m})"));
        self.line("}");
        self.funcs.push(FnSig {
            name: "rsum".into(),
            args: vec![Arg::Bounded(300), Arg::Any(Int)],
            ret: Int,
            cost: 300,
        });
        self.line("fun fib(n: int): int {");
        self.line("  if n < 2 {");
        self.line("    return n");
        self.line("  }");
        self.line("  return fib(n - 1) + fib(n - 2)");
        self.line("}");
        self.funcs.push(FnSig {
            name: "fib".into(),
            args: vec![Arg::Bounded(14)],
            ret: Int,
            cost: 1200,
        });
        self.line("fun isEven(n: int): bool {");
        self.line("  if n == 0 {");
        self.line("    return true");
        self.line("  }");
        self.line("  return isOdd(n - 1)");
        self.line("}");
        self.line("fun isOdd(n: int): bool {");
        self.line("  if n == 0 {");
        self.line("    return false");
        self.line("  }");
        self.line("  return isEven(n - 1)");
        self.line("}");
        self.funcs.push(FnSig {
            name: "isEven".into(),
            args: vec![Arg::BoundedAbs(500)],
            ret: Bool,
            cost: 500,
        });
        self.line("fun weigh(xs: list<int>, i: int): int {");
        self.line("  if i >= len(xs) {");
        self.line("    return 0");
        self.line("  }");
        self.line("  return (xs[i] % 1000) * (i + 1) + weigh(xs, i + 1)");
        self.line("}");
        self.funcs.push(FnSig {
            name: "weigh".into(),
            args: vec![Arg::Any(ListInt), Arg::BoundedAbs(3)],
            ret: Int,
            cost: 200,
        });
        self.funcs.push(FnSig {
            name: "area".into(),
            args: vec![Arg::Any(Shape)],
            ret: Float,
            cost: 3,
        });
        self.funcs.push(FnSig {
            name: "describe".into(),
            args: vec![Arg::Any(Shape)],
            ret: Str,
            cost: 5,
        });
        self.callable = self.funcs.len();
    }

    fn function(&mut self) {
        let name = self.fresh("f");
        let nparams = self.rng.range(0, 4) as usize;
        let mut params = Vec::new();
        for i in 0..nparams {
            let ty = *self.rng.pick(PARAM_TYS);
            params.push((format!("p{i}"), ty));
        }
        let ret = *self.rng.pick(RET_TYS);
        let sig: Vec<String> = params
            .iter()
            .map(|(n, t)| format!("{n}: {}", t.name()))
            .collect();
        self.line(&format!(
            "fun {name}({}): {} {{",
            sig.join(", "),
            ret.name()
        ));
        self.indent += 1;
        self.scopes = vec![
            params
                .iter()
                .map(|(n, t)| Var {
                    name: n.clone(),
                    ty: *t,
                    mutable: true,
                })
                .collect(),
        ];
        self.callable = self.funcs.len();
        self.cost = 0;
        self.mult = 1;
        self.budget = 4_000;
        let n = self.rng.range(1, 6);
        for _ in 0..n {
            self.stmt();
        }
        let e = self.expr(ret, 3);
        self.line(&format!("return {e}"));
        self.indent -= 1;
        self.line("}");
        let cost = self.cost + 2;
        self.funcs.push(FnSig {
            name,
            args: params.iter().map(|(_, t)| Arg::Any(*t)).collect(),
            ret,
            cost,
        });
        self.scopes = vec![Vec::new()];
    }

    /// A few prints of arithmetic around the int representation boundaries.
    fn arith_edges(&mut self) {
        let n = self.rng.range(1, 4);
        for _ in 0..n {
            let a = *self.rng.pick(EDGE_INTS);
            let b = *self.rng.pick(EDGE_INTS);
            let d = self.nonzero_lit();
            let s = match self.rng.below(8) {
                0 => format!("print({a} * {b}, ({a} * {b}) / {d})"),
                1 => format!("print({a} + {b} - {b}, {a} - {b})"),
                2 => format!("print({a} * {b} * {b}, ({a} * {b} * {b}) % {d})"),
                3 => format!("print(-{a}, {a} / {d}, {a} % {d})"),
                4 => format!("print(({a} * 4294967296) / 4294967296 == {a})"),
                5 => format!("print(str({a} * {b}), [{a}, {b}, {a} + {b}])"),
                6 => format!("print(({a} + {b}) as float, {a} < {b}, {a} * {b} > {b})"),
                _ => format!(
                    "print(abs({a} - {b}), pow({a} % 5 + 2, {}))",
                    self.rng.range(0, 70)
                ),
            };
            self.line(&s);
        }
    }

    // ---- statements -----------------------------------------------------------------

    fn block(&mut self, n: i64) {
        self.indent += 1;
        self.scopes.push(Vec::new());
        for _ in 0..n {
            self.stmt();
        }
        self.scopes.pop();
        self.indent -= 1;
    }

    fn stmt(&mut self) {
        self.charge(1);
        let roll = self.rng.below(100);
        match roll {
            0..=21 => self.decl(),
            22..=45 => self.print_stmt(),
            46..=59 => self.assign(),
            60..=67 => self.write_stmt(),
            68..=74 => self.if_stmt(),
            75..=86 if self.loop_depth < 2 => self.loop_stmt(),
            87..=90 => self.closure_decl(),
            91..=93 if self.loop_depth > 0 => {
                let c = self.expr(Bool, 1);
                let kw = if self.rng.chance(1, 2) {
                    "break"
                } else {
                    "continue"
                };
                self.line(&format!("if {c} {{"));
                self.line(&format!("  {kw}"));
                self.line("}");
            }
            _ => self.print_stmt(),
        }
    }

    fn decl(&mut self) {
        let ty = *self.rng.pick(VALUE_TYS);
        let name = self.fresh("v");
        let kw = if self.rng.chance(2, 3) { "var" } else { "let" };
        let init = self.stored(ty, None, 2);
        if ty == Shape || self.rng.chance(1, 3) {
            // A variant literal alone would give the variable the variant's type.
            self.line(&format!("{kw} {name}: {} = {init}", ty.name()));
        } else if matches!(ty, ListInt | ListStr | MapStrInt | MapIntStr) && self.rng.chance(1, 4) {
            // Empty collections need the annotation to get their element types.
            let empty = if matches!(ty, ListInt | ListStr) {
                "[]"
            } else {
                "{}"
            };
            self.line(&format!("{kw} {name}: {} = {empty}", ty.name()));
        } else {
            self.line(&format!("{kw} {name} = {init}"));
        }
        self.declare(&name, ty, kw == "var");
        if self.rng.chance(1, 3) {
            self.line(&format!("print(\"{name} =\", {name})"));
        }
    }

    /// A value to store in a variable of type `ty`, kept small (see the module doc).
    fn stored(&mut self, ty: Ty, target: Option<&str>, depth: u32) -> String {
        match ty {
            Int => {
                let e = self.expr(Int, depth);
                let m = *self.rng.pick(INT_WRAPS);
                format!("({e}) % {m}")
            }
            Str => {
                let e = self.expr(Str, depth);
                format!("({e})[-40:]")
            }
            ListInt | ListStr => match target {
                Some(t) if self.rng.chance(1, 2) => {
                    let el = if ty == ListInt { Int } else { Str };
                    // The element is kept small too: `append(xs, join(xs, ","))` in a loop
                    // would otherwise grow exponentially (seed 301694).
                    let e = self.stored(el, None, depth);
                    format!("append({t}, {e})")
                }
                _ => {
                    let e = self.expr(ty, depth);
                    format!("({e})[0:20]")
                }
            },
            _ => self.expr(ty, depth),
        }
    }

    fn assign(&mut self) {
        let ty = *self.rng.pick(VALUE_TYS);
        let Some(name) = ({
            let vs = self.vars(ty, true);
            if vs.is_empty() {
                None
            } else {
                Some(self.rng.pick(&vs).clone())
            }
        }) else {
            return self.decl();
        };
        let rhs = if ty == Int && self.rng.chance(1, 4) {
            format!("{name} + 1")
        } else {
            self.stored(ty, Some(&name), 2)
        };
        self.line(&format!("{name} = {rhs}"));
    }

    fn write_stmt(&mut self) {
        match self.rng.below(5) {
            0 | 1 => {
                let lt = if self.rng.chance(1, 2) {
                    ListInt
                } else {
                    ListStr
                };
                let vs: Vec<String> = self
                    .vars(lt, false)
                    .into_iter()
                    .filter(|v| !self.frozen.contains(v))
                    .collect();
                if vs.is_empty() {
                    return self.decl();
                }
                let xs = self.rng.pick(&vs).clone();
                let el = if lt == ListInt { Int } else { Str };
                let v = self.stored(el, None, 1);
                if self.rng.chance(1, 4) {
                    self.line(&format!("{xs}[len({xs})] = {v}"));
                } else if self.rng.chance(1, 3) {
                    self.line(&format!("if len({xs}) > 0 {{"));
                    self.line(&format!("  {xs}[-1] = {v}"));
                    self.line("}");
                } else {
                    let i = self.expr(Int, 1);
                    self.line(&format!("if len({xs}) > 0 {{"));
                    self.line(&format!("  {xs}[({i}) % len({xs})] = {v}"));
                    self.line("}");
                }
            }
            2 | 3 => {
                let mt = if self.rng.chance(1, 2) {
                    MapStrInt
                } else {
                    MapIntStr
                };
                let Some(m) = self.pick_var(mt) else {
                    return self.decl();
                };
                let (k, v) = if mt == MapStrInt {
                    (self.key(Str), self.stored(Int, None, 1))
                } else {
                    (self.key(Int), self.stored(Str, None, 1))
                };
                self.line(&format!("{m}[{k}] = {v}"));
            }
            _ => {
                let Some(p) = self.pick_var(Point) else {
                    return self.decl();
                };
                let f = if self.rng.chance(1, 2) { "x" } else { "y" };
                let v = self.stored(Int, None, 1);
                self.line(&format!("{p}.{f} = {v}"));
            }
        }
    }

    fn if_stmt(&mut self) {
        let c = self.expr(Bool, 2);
        self.line(&format!("if {c} {{"));
        let n = self.rng.range(1, 3);
        self.block(n);
        if self.rng.chance(1, 3) {
            let c = self.expr(Bool, 1);
            self.line(&format!("}} else if {c} {{"));
            self.block(1);
        }
        if self.rng.chance(1, 2) {
            self.line("} else {");
            let n = self.rng.range(1, 2);
            self.block(n);
        }
        self.line("}");
    }

    fn loop_stmt(&mut self) {
        let var = self.fresh("i");
        let (header, trips, var_ty, pre, incr): (
            String,
            u64,
            Option<Ty>,
            Option<String>,
            Option<String>,
        ) = match self.rng.below(7) {
            0 | 1 => {
                // Now and then at either end of i64, where the optimizing tier's int ranges
                // must keep the checks of arithmetic on the counter.
                let base = match self.rng.below(40) {
                    0 => i64::MAX - 10,
                    1 => i64::MIN + 4,
                    _ => 0,
                };
                let a = base + self.rng.range(-3, 3);
                let b = a + self.rng.range(0, 7);
                let fa = if a < 0 {
                    format!("({a})")
                } else {
                    a.to_string()
                };
                (
                    format!("for {var} in {fa}..{b} {{"),
                    (b - a) as u64,
                    Some(Int),
                    None,
                    None,
                )
            }
            2 => {
                let e = self.expr(Int, 1);
                (
                    format!("for {var} in 0..(({e}) % 6) {{"),
                    5,
                    Some(Int),
                    None,
                    None,
                )
            }
            3 => {
                let lt = if self.rng.chance(1, 2) {
                    ListInt
                } else {
                    ListStr
                };
                let k = self.rng.range(1, 8);
                let src = match self.pick_var(lt) {
                    // Outside loops, iterate the variable itself: the body may reassign
                    // it, which must not change the iteration (snapshot).
                    Some(xs) if self.mult == 1 && self.rng.chance(1, 2) => xs,
                    Some(xs) => format!("{xs}[0:{k}]"),
                    None => {
                        let e = self.expr(lt, 1);
                        format!("({e})[0:{k}]")
                    }
                };
                let el = if lt == ListInt { Int } else { Str };
                // A whole list variable holds at most a few hundred elements.
                let trips = if src.ends_with(']') { k as u64 } else { 300 };
                (
                    format!("for {var} in {src} {{"),
                    trips,
                    Some(el),
                    None,
                    None,
                )
            }
            4 => {
                let mt = if self.rng.chance(1, 2) {
                    MapStrInt
                } else {
                    MapIntStr
                };
                let src = match self.pick_var(mt) {
                    Some(m) => m,
                    None => self.expr(mt, 1),
                };
                let kt = if mt == MapStrInt { Str } else { Int };
                (format!("for {var} in {src} {{"), 24, Some(kt), None, None)
            }
            5 => {
                let k = self.rng.range(1, 9);
                let s = self.expr(Str, 1);
                (
                    format!("for {var} in ({s})[0:{k}] {{"),
                    k as u64,
                    Some(Str),
                    None,
                    None,
                )
            }
            _ => {
                let k = self.rng.range(0, 8);
                (
                    format!("while {var} < {k} {{"),
                    k as u64,
                    None,
                    Some(format!("var {var} = 0")),
                    Some(format!("{var} = {var} + 1")),
                )
            }
        };
        if let Some(p) = pre {
            self.line(&p);
        }
        self.line(&header);
        let saved = self.mult;
        self.mult = self.mult.saturating_mul(trips.max(1));
        self.loop_depth += 1;
        self.indent += 1;
        self.scopes.push(Vec::new());
        if let Some(inc) = incr {
            self.line(&inc);
        }
        if let Some(t) = var_ty {
            self.declare(&var, t, false);
            if self.rng.chance(1, 2) {
                self.line(&format!("print(\"{var}\", {var})"));
            }
        }
        let frozen = !header.contains('[') && header.starts_with("for ");
        if frozen {
            let src = header
                .split(" in ")
                .nth(1)
                .unwrap_or("")
                .trim_end_matches(" {");
            self.frozen.push(src.to_string());
        }
        let n = self.rng.range(1, 4);
        for _ in 0..n {
            self.stmt();
        }
        if frozen {
            self.frozen.pop();
        }
        self.scopes.pop();
        self.indent -= 1;
        self.loop_depth -= 1;
        self.mult = saved;
        self.line("}");
    }

    fn closure_decl(&mut self) {
        let c = self.fresh("c");
        let f = self.fresh("g");
        let init = self.stored(Int, None, 1);
        self.line(&format!("var {c} = {init}"));
        let k = self.rng.range(1, 9);
        if self.rng.chance(1, 3) {
            self.line(&format!("let {f} = fun(d: int): int => d * {k} + {c}"));
        } else {
            self.line(&format!("let {f} = fun(d: int): int {{"));
            self.line(&format!("  {c} = ({c} + d * {k}) % 1000"));
            self.line(&format!("  return {c} + d"));
            self.line("}");
        }
        self.declare(&c, Int, true);
        self.declare(&f, FnInt, false);
    }

    fn print_stmt(&mut self) {
        match self.rng.below(10) {
            0 => {
                // Out-of-range and negative reads go straight to print (they yield `nil`).
                let lt = *self.rng.pick(&[ListInt, ListStr, Str]);
                let Some(xs) = self.pick_var(lt) else {
                    return self.decl();
                };
                let i = self
                    .rng
                    .pick(&["0", "-1", "-2", "1", "5", "100", "-100"])
                    .to_string();
                self.line(&format!("print({xs}[{i}])"));
            }
            1 => {
                let mt = if self.rng.chance(1, 2) {
                    MapStrInt
                } else {
                    MapIntStr
                };
                let Some(m) = self.pick_var(mt) else {
                    return self.decl();
                };
                let k = if mt == MapStrInt {
                    self.key(Str)
                } else {
                    self.key(Int)
                };
                self.line(&format!("print({m}[{k}], len({m}), {m})"));
            }
            _ => {
                let n = self.rng.range(1, 3);
                let mut args = Vec::new();
                for _ in 0..n {
                    let ty = *self.rng.pick(VALUE_TYS);
                    args.push(self.expr(ty, 3));
                }
                self.line(&format!("print({})", args.join(", ")));
            }
        }
    }

    // ---- expressions ----------------------------------------------------------------

    fn nonzero_lit(&mut self) -> &'static str {
        self.rng.pick::<&'static str>(&[
            "1",
            "2",
            "3",
            "7",
            "(-1)",
            "(-3)",
            "10",
            "1000",
            "4294967296",
            "(-9223372036854775807)",
        ])
    }

    fn divisor(&mut self, depth: u32) -> String {
        if self.rng.chance(2, 3) {
            self.nonzero_lit().to_string()
        } else {
            let e = self.expr(Int, depth.saturating_sub(1));
            let k = self.rng.range(2, 9);
            format!("(({e}) % {k} + {k} + 1)")
        }
    }

    /// A map key without side effects (so `k in m` and `m[k]` agree).
    fn key(&mut self, ty: Ty) -> String {
        let ivar = self.pick_var(Int);
        match (ty, ivar) {
            (Int, Some(v)) if self.rng.chance(1, 2) => format!("({v} % 8)"),
            (Int, _) => self.rng.pick(INT_KEYS).to_string(),
            (_, Some(v)) if self.rng.chance(1, 3) => format!("(\"k\" + str({v} % 5))"),
            _ => self.rng.pick(STR_KEYS).to_string(),
        }
    }

    fn leaf(&mut self, ty: Ty) -> String {
        if self.rng.chance(2, 3)
            && let Some(v) = self.pick_var(ty)
        {
            return v;
        }
        match ty {
            Int => {
                if self.rng.chance(1, 2) {
                    self.rng.pick(SMALL_INTS).to_string()
                } else {
                    self.rng.pick(EDGE_INTS).to_string()
                }
            }
            Float => self.rng.pick(FLOATS).to_string(),
            Str => self.rng.pick(STRS).to_string(),
            Bool => self.rng.pick(&["true", "false"]).to_string(),
            ListInt => {
                let n = self.rng.range(1, 4);
                let xs: Vec<String> = (0..n).map(|_| self.leaf(Int)).collect();
                format!("[{}]", xs.join(", "))
            }
            ListStr => {
                let n = self.rng.range(1, 4);
                let xs: Vec<String> = (0..n).map(|_| self.leaf(Str)).collect();
                format!("[{}]", xs.join(", "))
            }
            MapStrInt => {
                let n = self.rng.range(1, 3);
                let mut es = Vec::new();
                for _ in 0..n {
                    let k = if self.rng.chance(1, 4) {
                        "a".to_string()
                    } else {
                        self.rng.pick(STR_KEYS).to_string()
                    };
                    let v = self.leaf(Int);
                    es.push(format!("{k}: {v}"));
                }
                format!("{{{}}}", es.join(", "))
            }
            MapIntStr => {
                let n = self.rng.range(1, 3);
                let mut es = Vec::new();
                for _ in 0..n {
                    let k = self.rng.pick(INT_KEYS).to_string();
                    let v = self.leaf(Str);
                    es.push(format!("{k}: {v}"));
                }
                format!("{{{}}}", es.join(", "))
            }
            Point => {
                let x = self.leaf(Int);
                let y = self.leaf(Int);
                format!("Point {{ x: {x}, y: {y} }}")
            }
            Shape => match self.rng.below(3) {
                0 => format!("Circle {{ r: {} }}", self.leaf(Float)),
                1 => format!(
                    "Rect {{ w: {}, h: {} }}",
                    self.leaf(Float),
                    self.leaf(Float)
                ),
                _ => "Empty {}".to_string(),
            },
            FnInt => unreachable!("closures are only named"),
        }
    }

    /// A call to a function returning `ty`, if one is callable and affordable.
    fn call(&mut self, ty: Ty) -> Option<String> {
        let cands: Vec<usize> = (0..self.callable)
            .filter(|&i| self.funcs[i].ret == ty && self.can_afford(self.funcs[i].cost))
            .collect();
        if cands.is_empty() {
            return None;
        }
        let f = self.funcs[*self.rng.pick(&cands)].clone();
        self.charge(f.cost);
        let args: Vec<String> = f
            .args
            .iter()
            .map(|a| match *a {
                Arg::Any(t) => self.expr(t, 1),
                Arg::Bounded(b) => {
                    let e = self.expr(Int, 1);
                    format!("({e}) % {b}")
                }
                Arg::BoundedAbs(b) => {
                    let e = self.expr(Int, 1);
                    format!("abs(({e}) % {b})")
                }
            })
            .collect();
        Some(format!("{}({})", f.name, args.join(", ")))
    }

    fn expr(&mut self, ty: Ty, depth: u32) -> String {
        if depth == 0 || self.rng.chance(1, 4) {
            return self.leaf(ty);
        }
        let d = depth - 1;
        if self.rng.chance(1, 8)
            && let Some(c) = self.call(ty)
        {
            return c;
        }
        if ty != Shape && self.rng.chance(1, 12) {
            let c = self.expr(Bool, d);
            let a = self.expr(ty, d);
            let b = self.expr(ty, d);
            return if self.rng.chance(1, 2) {
                format!("(if {c} then {a} else {b})")
            } else {
                format!("(if {c} {{ {a} }} else {{ {b} }})")
            };
        }
        match ty {
            Int => self.int_expr(d),
            Float => self.float_expr(d),
            Str => self.str_expr(d),
            Bool => self.bool_expr(d),
            ListInt | ListStr => self.list_expr(ty, d),
            _ => self.leaf(ty),
        }
    }

    fn int_expr(&mut self, d: u32) -> String {
        match self.rng.below(22) {
            0..=2 => format!("({} + {})", self.expr(Int, d), self.expr(Int, d)),
            3 | 4 => format!("({} - {})", self.expr(Int, d), self.expr(Int, d)),
            5..=7 => format!("({} * {})", self.expr(Int, d), self.expr(Int, d)),
            8 => format!("({} / {})", self.expr(Int, d), self.divisor(d)),
            9 => format!("({} % {})", self.expr(Int, d), self.divisor(d)),
            10 => format!("(-{})", self.expr(Int, d)),
            11 => {
                let t = *self
                    .rng
                    .pick(&[ListInt, ListStr, Str, MapStrInt, MapIntStr]);
                format!("len({})", self.expr(t, d))
            }
            12 => {
                let p = self.expr(Point, d);
                let f = if self.rng.chance(1, 2) { "x" } else { "y" };
                format!("{p}.{f}")
            }
            13 => {
                let xs = self.expr(ListInt, d);
                let i = self.expr(Int, d);
                format!("({xs} + [1, 2, 3])[({i}) % 3]")
            }
            14 => {
                let Some(m) = self.pick_var(MapStrInt) else {
                    return self.leaf(Int);
                };
                let k = self.key(Str);
                format!("(if {k} in {m} then {m}[{k}] else 0)")
            }
            15 => format!("(str(({}) % 100000) as int)", self.expr(Int, d)),
            16 => format!("int((({}) % 1000) as float * 2.5)", self.expr(Int, d)),
            17 => {
                let f = *self.rng.pick(&["sum", "min", "max", "len"]);
                format!("{f}({})", self.expr(ListInt, d))
            }
            18 => {
                let Some(f) = self.pick_var(FnInt) else {
                    return format!("abs({})", self.expr(Int, d));
                };
                self.charge(3);
                format!("{f}({})", self.expr(Int, d))
            }
            19 => {
                let e = self.expr(Int, d);
                let a = self.expr(Int, d);
                let b = self.expr(Int, d);
                let c = self.expr(Int, d);
                format!("match ({e}) % 3 {{\n  0 => {a}\n  1 => {b}\n  _ => {c}\n}}")
            }
            20 => format!("indexOf({}, \"a\")", self.expr(Str, d)),
            _ => format!("pow({}, {})", self.rng.range(-3, 5), self.rng.range(0, 80)),
        }
    }

    fn float_expr(&mut self, d: u32) -> String {
        match self.rng.below(12) {
            0 | 1 => format!("({} + {})", self.expr(Float, d), self.expr(Float, d)),
            2 => format!("({} - {})", self.expr(Float, d), self.expr(Float, d)),
            3 | 4 => format!("({} * {})", self.expr(Float, d), self.expr(Float, d)),
            5 => {
                let a = self.expr(Float, d);
                if self.rng.chance(1, 2) {
                    let lit = *self.rng.pick(&["3.0", "0.1", "(-7.5)", "1e-300", "1e300"]);
                    format!("({a} / {lit})")
                } else {
                    let b = self.expr(Float, d);
                    format!("({a} / ({b} * {b} + 1.0))")
                }
            }
            6 => {
                let lit = *self.rng.pick(&["2.5", "(-0.75)", "1e-3"]);
                format!("({} % {lit})", self.expr(Float, d))
            }
            7 => format!("(-{})", self.expr(Float, d)),
            8 => format!("((({}) % 100000) as float)", self.expr(Int, d)),
            9 => format!("({} + {}.25)", self.expr(Float, d), self.rng.range(0, 9)),
            10 if self.shape_helpers => {
                self.charge(5);
                format!("area({})", self.expr(Shape, d))
            }
            _ => format!("(float(({}) % 1000) * 0.001)", self.expr(Int, d)),
        }
    }

    fn str_expr(&mut self, d: u32) -> String {
        match self.rng.below(14) {
            0..=2 => format!("({} + {})", self.expr(Str, d), self.expr(Str, d)),
            3 | 4 => {
                let t = *self.rng.pick(VALUE_TYS);
                format!("str({})", self.expr(t, d))
            }
            5 => {
                let s = self.expr(Str, d);
                let a = self.expr(Int, d);
                let b = self.expr(Int, d);
                match self.rng.below(3) {
                    0 => format!("{s}[({a}) % 7:({b}) % 9]"),
                    1 => format!("{s}[({a}) % 5:]"),
                    _ => format!("{s}[:({b}) % 6]"),
                }
            }
            6 => {
                let s = self.expr(Str, d);
                let a = self.expr(Int, d);
                format!("substring({s}, ({a}) % 4, {})", self.rng.range(-2, 12))
            }
            7 => {
                let s = self.expr(Str, d);
                let i = self.expr(Int, d);
                format!("({s} + \"xyz\")[({i}) % 3]")
            }
            8 => {
                let f = *self.rng.pick(&["upper", "lower"]);
                format!("{f}({})", self.expr(Str, d))
            }
            9 if self.shape_helpers => {
                self.charge(8);
                format!("describe({})", self.expr(Shape, d))
            }
            10 => {
                let xs = self.expr(ListStr, d);
                format!("join({xs}, \",\")")
            }
            11 => {
                let Some(m) = self.pick_var(MapIntStr) else {
                    return self.leaf(Str);
                };
                let k = self.key(Int);
                format!("(if {k} in {m} then {m}[{k}] else \"none\")")
            }
            12 => {
                let s = *self.rng.pick(STRS);
                format!("repeat({s}, {})", self.rng.range(0, 3))
            }
            _ => {
                let s = self.expr(Str, d);
                format!("padStart({s}, {}, \"*\")", self.rng.range(0, 8))
            }
        }
    }

    fn bool_expr(&mut self, d: u32) -> String {
        let cmp = *self.rng.pick(&["==", "!=", "<", "<=", ">", ">="]);
        match self.rng.below(12) {
            0 | 1 => format!("({} {cmp} {})", self.expr(Int, d), self.expr(Int, d)),
            2 => format!("({} {cmp} {})", self.expr(Float, d), self.expr(Float, d)),
            3 => format!("({} {cmp} {})", self.expr(Str, d), self.expr(Str, d)),
            4 => format!("({} && {})", self.expr(Bool, d), self.expr(Bool, d)),
            5 => format!("({} || {})", self.expr(Bool, d), self.expr(Bool, d)),
            6 => format!("!({})", self.expr(Bool, d)),
            7 => format!("({} in {})", self.expr(Int, d), self.expr(ListInt, d)),
            8 => {
                let Some(m) = self.pick_var(MapStrInt) else {
                    return format!("({} in {})", self.expr(Str, d), self.expr(Str, d));
                };
                let k = self.key(Str);
                format!("({k} in {m})")
            }
            9 => format!("({} == {})", self.expr(ListInt, d), self.expr(ListInt, d)),
            10 => format!("({} == {})", self.expr(Point, d), self.expr(Point, d)),
            _ => format!("contains({}, {})", self.expr(Str, d), self.expr(Str, d)),
        }
    }

    fn list_expr(&mut self, ty: Ty, d: u32) -> String {
        let el = if ty == ListInt { Int } else { Str };
        match self.rng.below(8) {
            0 | 1 => format!("append({}, {})", self.expr(ty, d), self.expr(el, d)),
            2 => format!("({} + {})", self.expr(ty, d), self.expr(ty, d)),
            3 => {
                let xs = self.expr(ty, d);
                let a = self.expr(Int, d);
                format!("{xs}[({a}) % 4:{}]", self.rng.range(-3, 6))
            }
            4 => format!("reverse({})", self.expr(ty, d)),
            5 => {
                if ty == ListInt {
                    match self.pick_var(MapIntStr) {
                        Some(m) => format!("keys({m})"),
                        None => format!("values({})", self.expr(MapStrInt, d)),
                    }
                } else {
                    match self.pick_var(MapStrInt) {
                        Some(m) => format!("keys({m})"),
                        None => format!("values({})", self.expr(MapIntStr, d)),
                    }
                }
            }
            6 if ty == ListStr => format!("split({}, \"\")", self.expr(Str, d)),
            _ => {
                let n = self.rng.range(1, 4);
                let xs: Vec<String> = (0..n).map(|_| self.expr(el, d)).collect();
                format!("[{}]", xs.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        assert_eq!(generate(7), generate(7));
        assert_ne!(generate(7), generate(8));
        assert_eq!(generate_error(3).source, generate_error(3).source);
    }
}
