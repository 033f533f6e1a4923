//! Expressions of a generated program, by type: literals, variables, calls and operators,
//! kept within a depth and free of runtime errors (nonzero divisors, indices in range).

use super::*;

impl Gen {
    pub(super) fn nonzero_lit(&mut self) -> &'static str {
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
    pub(super) fn key(&mut self, ty: Ty) -> String {
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

    pub(super) fn expr(&mut self, ty: Ty, depth: u32) -> String {
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
