//! Joins of a query (LANGUAGE.md §17.3-17.4): a streaming join's source and hash index
//! prepared before its pass, the loop over one row's matches (inner and left joins), and
//! the right and outer joins that build a new list of tuples. The plan and the row
//! machinery they work in are the parent module's.

use mochi_syntax::ast::{Expr, JoinKind};
use mochi_types::Builtin;

use super::{ListLoop, Lowering, Matcher, Prepared, any_none};
use crate::compiler::{CompileError, FnBuilder};
use crate::ops::{Count, Imm, Op, Reg, Target};

impl<'c, 'a> FnBuilder<'c, 'a> {
    /// A streaming join's source (and index), evaluated before the pass's loops.
    pub(super) fn prepare_join(
        &mut self,
        plan: &Lowering<'a>,
        pos: usize,
    ) -> Result<Prepared, CompileError> {
        let k = pos - plan.q.froms.len();
        let source = self.alloc();
        self.source_list(&plan.q.joins[k].source, source)?;
        let index = match &plan.matchers[k] {
            Matcher::Hash { joined, .. } => Some(self.index_keys(plan, source, pos, joined)?),
            Matcher::Nested => None,
        };
        Ok(Prepared { source, index })
    }

    /// The hash index of `key` evaluated for each element of `list` bound at `pos`.
    pub(super) fn index_keys(
        &mut self,
        plan: &Lowering<'a>,
        list: Reg,
        pos: usize,
        key: &'a Expr,
    ) -> Result<Reg, CompileError> {
        let index = self.alloc();
        let keys = self.alloc();
        self.empty_list(keys);
        let saved = self.locals.clone();
        let mark = self.mark();
        self.declare_vars(&plan.vars[pos..=pos]);
        let l = self.begin_loop(list);
        let v = self.alloc();
        self.emit(Op::IndexList {
            dst: v,
            obj: list,
            idx: l.idx,
        });
        self.bind(plan.vars[pos], v);
        let k = self.expr_reg(key)?;
        self.push(keys, k);
        self.end_loop(l);
        self.locals = saved;
        self.release(mark);
        self.call_builtin_regs(Builtin::QueryIndex, &[keys], index);
        Ok(index)
    }

    /// For an inner or left join at `pos`: a loop over the matching elements of the
    /// source, bound to the joined variable (for a left join without matches, one
    /// iteration with `none`). The caller emits the body and ends the loop.
    pub(super) fn join_matches(
        &mut self,
        plan: &Lowering<'a>,
        pos: usize,
        p: &Prepared,
    ) -> Result<ListLoop, CompileError> {
        let k = pos - plan.q.froms.len();
        let join = &plan.q.joins[k];
        let var = plan.vars[pos];
        let left = join.kind == JoinKind::Left;
        let positions = self.alloc();
        match &plan.matchers[k] {
            Matcher::Nested if !left => {
                let mut l = self.begin_loop(p.source);
                let v = self.alloc();
                self.emit(Op::IndexList {
                    dst: v,
                    obj: p.source,
                    idx: l.idx,
                });
                self.bind(var, v);
                self.filter(&join.on, &mut l)?;
                return Ok(l);
            }
            Matcher::Nested => {
                self.empty_list(positions);
                let mut l = self.begin_loop(p.source);
                let v = self.alloc();
                self.emit(Op::IndexList {
                    dst: v,
                    obj: p.source,
                    idx: l.idx,
                });
                self.bind(var, v);
                self.filter(&join.on, &mut l)?;
                self.push(positions, l.idx);
                self.end_loop(l);
            }
            Matcher::Hash { earlier, rest, .. } => {
                let key = self.expr_reg(earlier)?;
                let index = p.index.expect("hash joins are indexed");
                self.call_builtin_regs(Builtin::QueryProbe, &[index, key], positions);
                if left && !rest.is_empty() {
                    // The candidates with equal keys that pass `on`'s other operands.
                    let candidates = self.alloc();
                    self.emit(Op::Move {
                        dst: candidates,
                        src: positions,
                    });
                    self.empty_list(positions);
                    let mut l = self.begin_loop(candidates);
                    let at = self.alloc();
                    self.emit(Op::IndexList {
                        dst: at,
                        obj: candidates,
                        idx: l.idx,
                    });
                    let v = self.alloc();
                    self.emit(Op::IndexList {
                        dst: v,
                        obj: p.source,
                        idx: at,
                    });
                    self.bind(var, v);
                    for r in rest {
                        self.filter(r, &mut l)?;
                    }
                    self.push(positions, at);
                    self.end_loop(l);
                }
            }
        }
        if left {
            // No match: one row with `none`, which is what reading one past the end of
            // the source gives.
            let n = self.alloc();
            self.emit(Op::Len {
                dst: n,
                src: positions,
            });
            let has = self.emit(Op::EqI64ImmJumpIfFalse {
                a: n,
                imm: Imm(0),
                target: Target(0),
            });
            self.emit(Op::Len {
                dst: n,
                src: p.source,
            });
            self.new_list_of(&[n], positions);
            self.patch_here(has);
        }
        let mut l = self.begin_loop(positions);
        let at = self.alloc();
        self.emit(Op::IndexList {
            dst: at,
            obj: positions,
            idx: l.idx,
        });
        let v = self.alloc();
        self.emit(Op::IndexList {
            dst: v,
            obj: p.source,
            idx: at,
        });
        self.bind(var, v);
        if let (Matcher::Hash { rest, .. }, false) = (&plan.matchers[k], left) {
            for r in rest {
                self.filter(r, &mut l)?;
            }
        }
        Ok(l)
    }

    /// A right or outer join at `pos` over the tuples `before` (positions `0..pos`):
    /// the joined rows as a new list of tuples (positions `0..=pos`), in §17.4's order.
    pub(super) fn wide_join(
        &mut self,
        plan: &Lowering<'a>,
        before: Reg,
        pos: usize,
    ) -> Result<Reg, CompileError> {
        let k = pos - plan.q.froms.len();
        let join = &plan.q.joins[k];
        let out = self.alloc();
        self.empty_list(out);
        let source = self.alloc();
        self.source_list(&join.source, source)?;
        let saved = self.locals.clone();
        let mark = self.mark();
        let vars = &plan.vars[..=pos];
        self.declare_vars(vars);
        // Each side's matches, found through a hash index of the other side's keys or by
        // testing every pair.
        let outer_major = join.kind == JoinKind::Outer;
        let (inner_list, index) = match &plan.matchers[k] {
            Matcher::Hash {
                earlier, joined, ..
            } => {
                if outer_major {
                    (source, Some(self.index_keys(plan, source, pos, joined)?))
                } else {
                    let keys = self.alloc();
                    self.empty_list(keys);
                    let l = self.begin_loop(before);
                    let t = self.alloc();
                    self.emit(Op::IndexList {
                        dst: t,
                        obj: before,
                        idx: l.idx,
                    });
                    self.unpack(&vars[..pos], t);
                    let key = self.expr_reg(earlier)?;
                    self.push(keys, key);
                    self.end_loop(l);
                    let index = self.alloc();
                    self.call_builtin_regs(Builtin::QueryIndex, &[keys], index);
                    (before, Some(index))
                }
            }
            Matcher::Nested => (if outer_major { source } else { before }, None),
        };
        let outer_list = if outer_major { before } else { source };
        let matched_set = self.alloc();
        if outer_major {
            self.emit(Op::NewMap {
                dst: matched_set,
                base: matched_set,
                n: Count(0),
            });
        }
        // For each element of the major side (rows for `outer`, the source for `right`):
        let lo = self.begin_loop(outer_list);
        let major = self.alloc();
        self.emit(Op::IndexList {
            dst: major,
            obj: outer_list,
            idx: lo.idx,
        });
        if outer_major {
            self.unpack(&vars[..pos], major);
        } else {
            self.bind(vars[pos], major);
        }
        let any = self.alloc();
        self.emit(Op::LoadFalse { dst: any });
        let candidates = match (&plan.matchers[k], index) {
            (
                Matcher::Hash {
                    earlier, joined, ..
                },
                Some(index),
            ) => {
                let probe_key = if outer_major { earlier } else { joined };
                let key = self.expr_reg(probe_key)?;
                let found = self.alloc();
                self.call_builtin_regs(Builtin::QueryProbe, &[index, key], found);
                Some(found)
            }
            _ => None,
        };
        let mut li = self.begin_loop(candidates.unwrap_or(inner_list));
        let at = self.alloc();
        match candidates {
            Some(c) => {
                self.emit(Op::IndexList {
                    dst: at,
                    obj: c,
                    idx: li.idx,
                });
            }
            None => {
                self.emit(Op::Move {
                    dst: at,
                    src: li.idx,
                });
            }
        }
        let minor = self.alloc();
        self.emit(Op::IndexList {
            dst: minor,
            obj: inner_list,
            idx: at,
        });
        if outer_major {
            self.bind(vars[pos], minor);
        } else {
            self.unpack(&vars[..pos], minor);
        }
        match &plan.matchers[k] {
            Matcher::Hash { rest, .. } => {
                for r in rest {
                    self.filter(r, &mut li)?;
                }
            }
            Matcher::Nested => self.filter(&join.on, &mut li)?,
        }
        self.emit(Op::LoadTrue { dst: any });
        if outer_major {
            self.emit(Op::SetIndex {
                obj: matched_set,
                idx: at,
                src: any,
            });
        }
        let row = self.alloc();
        self.pack(vars, row);
        self.push(out, row);
        self.end_loop(li);
        // A major element without a match: its row with `none` on the other side.
        let matched = self.emit(Op::JumpIfTrue {
            cond: any,
            target: Target(0),
        });
        if outer_major {
            let none = any_none(self);
            self.bind(vars[pos], none);
        } else {
            for &v in &vars[..pos] {
                let none = any_none(self);
                self.bind(v, none);
            }
        }
        self.pack(vars, row);
        self.push(out, row);
        self.patch_here(matched);
        self.end_loop(lo);
        if outer_major {
            // Then the source elements no row matched, in source order.
            let mut l = self.begin_loop(source);
            let hit = self.alloc();
            self.emit(Op::In {
                dst: hit,
                x: l.idx,
                coll: matched_set,
            });
            let j = self.emit(Op::JumpIfTrue {
                cond: hit,
                target: Target(0),
            });
            l.next.push(j);
            let s = self.alloc();
            self.emit(Op::IndexList {
                dst: s,
                obj: source,
                idx: l.idx,
            });
            for &v in &vars[..pos] {
                let none = any_none(self);
                self.bind(v, none);
            }
            self.bind(vars[pos], s);
            self.pack(vars, row);
            self.push(out, row);
            self.end_loop(l);
        }
        self.locals = saved;
        self.release(mark);
        Ok(out)
    }
}
