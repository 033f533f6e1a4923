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

mod expr;
mod stmt;

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
