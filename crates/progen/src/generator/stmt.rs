//! Statements of a generated program: blocks, declarations, assignments, writes into
//! collections, `if`, the bounded loops and prints.

use super::*;

impl Gen {
    fn block(&mut self, n: i64) {
        self.indent += 1;
        self.scopes.push(Vec::new());
        for _ in 0..n {
            self.stmt();
        }
        self.scopes.pop();
        self.indent -= 1;
    }

    pub(super) fn stmt(&mut self) {
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
}
