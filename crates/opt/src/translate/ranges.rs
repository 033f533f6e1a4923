//! Int ranges: where they come from and what they prove (the state is in `state.rs`).
//!
//! A `for i in a..n` loop's counter lies in `[lo(a), hi(n) - 1]` inside the loop: it starts
//! at `a`, grows by one, and the loop goes on only while it is below `n`. When `n` (or `a`)
//! has no known bound, the loop's preheader speculates one: `n <= COUNTER_LIMIT`. Arithmetic
//! on counters and constants then needs no overflow check (spectral_norm's
//! `(i + j) * (i + j + 1) / 2 + i + 1` has five checks, and a zero test before `1.0 / _`,
//! all provably unneeded), and a divisor whose range excludes zero needs no zero test.
//!
//! A failed bound deoptimizes like any guard, with `helpers::LOOP_GUARD_DEOPT` set in its
//! location: the function is then compiled again at once without speculated bounds (a loop
//! of more than a billion iterations would otherwise deoptimize on every entry until the
//! function is given up). Ranges that need no guard (constants, lengths, arithmetic) stay
//! in that version.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, InstBuilder};
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::value::TAG_INT;

use super::paths::Check;
use super::state::{Range, SlotSet, SlotState};
use super::{FunctionEmitter, calls};

/// The bound a loop's preheader speculates on a `for` loop's end (and start) when it has
/// none: 2^30, so that sums and products of two counters fit in 63 bits.
pub(super) const COUNTER_LIMIT: i64 = 1 << 30;

/// A bound on every length (of a list, a string, a map): each element takes at least a
/// byte of a 47-bit user address space.
pub(super) const LENGTH_RANGE: Range = Range {
    lo: 0,
    hi: 1 << 47,
    guarded: false,
};

impl FunctionEmitter<'_, '_, '_, '_> {
    pub(super) fn range(&self, r: Reg) -> Option<Range> {
        self.state.ranges[r.0 as usize]
    }

    pub(super) fn set_range(&mut self, r: Reg, range: Option<Range>) {
        self.state.ranges[r.0 as usize] = range;
    }

    /// `branch_to(target)` for int compare-and-branch op `op`, which jumps where its compare
    /// fails: that edge's state narrows the operands' ranges by the compare's negation, and
    /// the state left for the fall-through by the compare (`i + 1` below `i < n` cannot
    /// overflow, nor `n - 1` after `n < 2` failed).
    pub(super) fn compare_branch_to(&mut self, op: &Op, target: u32) -> ir::Block {
        let Some((a, cc, b)) = int_compare(op) else {
            return self.branch_to(target);
        };
        let full = Range::new(i64::MIN, i64::MAX);
        let x = self.range(a).unwrap_or(full);
        let y = match b {
            Ok(b) => self.range(b).unwrap_or(full),
            Err(k) => Range::exactly(k),
        };
        let before = (self.range(a), b.ok().map(|b| self.range(b)));
        self.narrow_to(a, b, cc.negated().narrow(x, y));
        let block = self.branch_to(target);
        self.set_range(a, before.0);
        if let (Ok(b), Some(range)) = (b, before.1) {
            self.set_range(b, range);
        }
        self.narrow_to(a, b, cc.narrow(x, y));
        block
    }

    /// Gives int slots `a` and `b` (unless a constant) the ranges `narrowed`, if any (a
    /// range of all of i64 is none).
    fn narrow_to(&mut self, a: Reg, b: Result<Reg, i64>, narrowed: Option<(Range, Range)>) {
        let Some((x, y)) = narrowed else {
            return;
        };
        let int = |s: &Self, r: Reg| s.state.known[r.0 as usize] == Some(TAG_INT);
        let useful = |r: Range| (r.lo != i64::MIN || r.hi != i64::MAX).then_some(r);
        if int(self, a) {
            self.set_range(a, useful(x));
        }
        if let Ok(b) = b
            && int(self, b)
        {
            self.set_range(b, useful(y));
        }
    }

    /// The ranges of an int op's two operands, when both are known.
    pub(super) fn operand_ranges(&self, op: &Op) -> Option<(Range, Range)> {
        match *op {
            Op::AddI64 { a, b, .. } | Op::SubI64 { a, b, .. } | Op::MulI64 { a, b, .. } => {
                Some((self.range(a)?, self.range(b)?))
            }
            Op::AddI64Imm { a, imm, .. }
            | Op::SubI64Imm { a, imm, .. }
            | Op::MulI64Imm { a, imm, .. } => Some((self.range(a)?, Range::exactly(imm.0 as i64))),
            _ => None,
        }
    }

    /// In the preheader of loop `header..=end` (whose ops write `changed`, and which is about
    /// to check the tags `tags`): when the loop is a `for` loop, bounds its counter for the
    /// loop's body, speculating a bound on its end and start where they have none (the
    /// conditions are pushed on `checks`, for the caller to speculate on along with the
    /// tags). Returns the counter and its range.
    pub(super) fn counter_range(
        &mut self,
        header: usize,
        end: usize,
        changed: &SlotSet,
        tags: &[(Reg, u64)],
        checks: &mut Vec<Check>,
    ) -> Option<(Reg, Range)> {
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        let Op::ForStepI64 {
            counter,
            end: limit,
            target,
        } = code[end]
        else {
            return None;
        };
        // Only the step itself may change the counter, and nothing the end.
        let stepped_only = code[header..end].iter().all(|op| {
            op.written() != Some(counter)
                && calls::window_start(op).is_none_or(|first| counter.0 < first)
        });
        if target.0 as usize != header || !stepped_only || changed.contains(limit.0) {
            return None;
        }
        let int = |r: Reg| {
            self.state.known[r.0 as usize] == Some(TAG_INT) || tags.contains(&(r, TAG_INT))
        };
        if !int(counter) || !int(limit) {
            return None;
        }
        // A bound is worth a guard only where the loop computes with ints.
        let guard = self.loop_guards && code[header..end].iter().any(computes_with_ints);
        let start = self.bounded(counter, guard, -COUNTER_LIMIT, checks)?;
        let stop = self.bounded(limit, guard, i64::MIN, checks)?;
        let hi = start.hi.max(stop.hi.saturating_sub(1));
        let guarded = start.guarded || stop.guarded;
        Some((
            counter,
            Range {
                lo: start.lo,
                hi,
                guarded,
            },
        ))
    }

    /// In the preheader of loop `header..=end`: the slots the loop changes only by stepping
    /// them by constants of one sign (`i = i + 1` in a `while` loop), with their ranges at
    /// the header: their range on entry, unbounded in the step's direction (a step that
    /// overflows leaves this code). A compare in the loop then bounds the other side.
    pub(super) fn stepped_ranges(&self, header: usize, end: usize) -> Vec<(Reg, Range)> {
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        let n = self.slots.len();
        // By slot: the direction of its steps, +1 or -1 (0: none seen; None: not stepped).
        let mut direction: Vec<Option<i64>> = vec![Some(0); n];
        for op in &code[header..=end] {
            if let Some(first) = calls::window_start(op) {
                direction[first as usize..].fill(None);
            }
            let Some(w) = op.written() else {
                continue;
            };
            let step = match *op {
                Op::AddI64Imm { dst, a, imm } if dst == a => (imm.0 as i64).signum(),
                Op::SubI64Imm { dst, a, imm } if dst == a => -(imm.0 as i64).signum(),
                _ => 0,
            };
            let d = &mut direction[w.0 as usize];
            *d = match *d {
                Some(0) if step != 0 => Some(step),
                Some(s) if s == step => Some(s),
                _ => None,
            };
        }
        (direction.iter().enumerate())
            .filter_map(|(slot, d)| {
                let r = Reg(slot as u16);
                let entry = self.range(r)?;
                let range = match (*d)? {
                    1 => Range {
                        hi: i64::MAX,
                        ..entry
                    },
                    -1 => Range {
                        lo: i64::MIN,
                        ..entry
                    },
                    _ => return None,
                };
                Some((r, range))
            })
            .collect()
    }

    /// The range of int slot `r`; when it has none within `lo..=COUNTER_LIMIT` and `guard`
    /// allows, speculates that it lies there (pushing the conditions on `checks`). A range
    /// already known narrows the guard (`i < n` before a loop leaves `n` above 0, and
    /// unbounded above).
    fn bounded(&mut self, r: Reg, guard: bool, lo: i64, checks: &mut Vec<Check>) -> Option<Range> {
        let known = self.range(r);
        let within_limit = known.is_some_and(|k| k.lo >= lo && k.hi <= COUNTER_LIMIT);
        if within_limit || !guard {
            return known;
        }
        let wanted = Range {
            lo,
            hi: COUNTER_LIMIT,
            guarded: true,
        };
        let full = Range::new(i64::MIN, i64::MAX);
        let known = known.unwrap_or(full);
        // The bounds the known range does not already give.
        let tested = Range {
            lo: if known.lo >= lo { i64::MIN } else { lo },
            hi: if known.hi <= COUNTER_LIMIT {
                i64::MAX
            } else {
                COUNTER_LIMIT
            },
            guarded: true,
        };
        let x = self.bits(r);
        checks.extend(self.within(x, tested).into_iter().map(Check::LoopGuard));
        // Empty: the guard always fails, and nothing after it runs.
        let range = known.meet(wanted)?;
        self.set_range(r, Some(range));
        Some(range)
    }

    /// The conditions that `x` lies in `range` (none for a bound at the end of i64).
    fn within(&mut self, x: ir::Value, range: Range) -> Vec<ir::Value> {
        let mut oks = Vec::new();
        if range.lo != i64::MIN {
            oks.push(
                self.b
                    .ins()
                    .icmp_imm_s(IntCC::SignedGreaterThanOrEqual, x, range.lo),
            );
        }
        if range.hi != i64::MAX {
            oks.push(
                self.b
                    .ins()
                    .icmp_imm_s(IntCC::SignedLessThanOrEqual, x, range.hi),
            );
        }
        oks
    }

    /// At an on-stack-replacement entry into loop header `pc`, which assumes `assumed` (its
    /// slots reloaded): the condition that the ranges the header assumes hold, for those
    /// that rest on speculated bounds, which the code before it would have checked. (The
    /// others hold of the lower tier's values too: a header keeps ranges only of int slots,
    /// and an overflow there would have made a big int, which fails the tag check.) A slot
    /// dead at the header is written before it is read: its range is never used.
    pub(super) fn range_checks(&mut self, assumed: &SlotState, pc: u32) -> Option<Check> {
        let live = self
            .flow
            .live
            .as_ref()
            .map(|live| live[pc as usize].clone());
        let mut all = None;
        for (slot, range) in assumed.ranges.iter().enumerate() {
            let dead = live.as_ref().is_some_and(|l| !l.contains(slot as u16));
            if let Some(range) = range.filter(|r| r.guarded && !dead) {
                let x = self.bits(Reg(slot as u16));
                for ok in self.within(x, range) {
                    // One branch for all: this runs once per entry, and a branch each would
                    // be a block each for Cranelift to compile.
                    all = Some(all.map_or(ok, |all| self.b.ins().band(all, ok)));
                }
            }
        }
        self.state.ranges.clone_from(&assumed.ranges);
        all.map(Check::LoopGuard)
    }
}

/// How a compare-and-branch op compares its operands (`a cc b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compare {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Compare {
    fn negated(self) -> Compare {
        match self {
            Compare::Lt => Compare::Ge,
            Compare::Le => Compare::Gt,
            Compare::Gt => Compare::Le,
            Compare::Ge => Compare::Lt,
            Compare::Eq => Compare::Ne,
            Compare::Ne => Compare::Eq,
        }
    }

    /// The ranges of `a` and `b` where `a cc b` holds, for `a` in `x` and `b` in `y`
    /// (`None`: it never holds there; the ranges stay as they are).
    fn narrow(self, x: Range, y: Range) -> Option<(Range, Range)> {
        let below = |hi: i64| Range::new(i64::MIN, hi);
        let above = |lo: i64| Range::new(lo, i64::MAX);
        Some(match self {
            Compare::Lt => (
                x.meet(below(y.hi.checked_sub(1)?))?,
                y.meet(above(x.lo.checked_add(1)?))?,
            ),
            Compare::Le => (x.meet(below(y.hi))?, y.meet(above(x.lo))?),
            Compare::Gt => (
                x.meet(above(y.lo.checked_add(1)?))?,
                y.meet(below(x.hi.checked_sub(1)?))?,
            ),
            Compare::Ge => (x.meet(above(y.lo))?, y.meet(below(x.hi))?),
            Compare::Eq => {
                let both = x.meet(y)?;
                (both, both)
            }
            Compare::Ne => (x, y),
        })
    }
}

/// The compare of a compare-and-branch op on ints: `(a, cc, b)`, `b` a slot or a constant.
fn int_compare(op: &Op) -> Option<(Reg, Compare, Result<Reg, i64>)> {
    Some(match *op {
        Op::LtI64JumpIfFalse { a, b, .. } => (a, Compare::Lt, Ok(b)),
        Op::LeI64JumpIfFalse { a, b, .. } => (a, Compare::Le, Ok(b)),
        Op::EqI64JumpIfFalse { a, b, .. } => (a, Compare::Eq, Ok(b)),
        Op::NeI64JumpIfFalse { a, b, .. } => (a, Compare::Ne, Ok(b)),
        Op::LtI64ImmJumpIfFalse { a, imm, .. } => (a, Compare::Lt, Err(imm.0 as i64)),
        Op::LeI64ImmJumpIfFalse { a, imm, .. } => (a, Compare::Le, Err(imm.0 as i64)),
        Op::GtI64ImmJumpIfFalse { a, imm, .. } => (a, Compare::Gt, Err(imm.0 as i64)),
        Op::GeI64ImmJumpIfFalse { a, imm, .. } => (a, Compare::Ge, Err(imm.0 as i64)),
        Op::EqI64ImmJumpIfFalse { a, imm, .. } => (a, Compare::Eq, Err(imm.0 as i64)),
        Op::NeI64ImmJumpIfFalse { a, imm, .. } => (a, Compare::Ne, Err(imm.0 as i64)),
        _ => return None,
    })
}

/// Whether `op` computes with ints (so bounds on a loop's counter can save checks).
fn computes_with_ints(op: &Op) -> bool {
    matches!(
        op,
        Op::AddI64 { .. }
            | Op::SubI64 { .. }
            | Op::MulI64 { .. }
            | Op::AddI64Imm { .. }
            | Op::SubI64Imm { .. }
            | Op::MulI64Imm { .. }
            | Op::DivI64 { .. }
            | Op::ModI64 { .. }
            | Op::DivI64Imm { .. }
            | Op::ModI64Imm { .. }
            | Op::NegI64 { .. }
            | Op::IntToF64 { .. }
            | Op::Call { .. }
    )
}

/// The range of `x / d` or `x % d` (truncating, as Mochi's) for `x` in `x_range` and a
/// constant `d` other than 0 and -1.
pub(super) fn divided(x_range: Range, d: i64, quotient: bool) -> Option<Range> {
    let (lo, hi) = if quotient {
        let corners = [x_range.lo / d, x_range.hi / d];
        (corners[0].min(corners[1]), corners[0].max(corners[1]))
    } else {
        // A remainder is smaller than the divisor in magnitude and takes the dividend's
        // sign.
        let m = d.checked_abs()? - 1;
        let lo = if x_range.lo >= 0 {
            0
        } else {
            (-m).max(x_range.lo)
        };
        let hi = if x_range.hi <= 0 {
            0
        } else {
            m.min(x_range.hi)
        };
        (lo, hi)
    };
    Some(Range {
        lo,
        hi,
        guarded: x_range.guarded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_narrow_both_sides() {
        let r = Range::new;
        let (x, y) = (r(-10, 10), r(0, 5));
        assert_eq!(Compare::Lt.narrow(x, y), Some((r(-10, 4), r(0, 5))));
        assert_eq!(Compare::Ge.narrow(x, y), Some((r(0, 10), r(0, 5))));
        assert_eq!(Compare::Gt.narrow(x, r(3, 3)), Some((r(4, 10), r(3, 3))));
        assert_eq!(Compare::Le.narrow(r(7, 9), y), None);
        assert_eq!(Compare::Eq.narrow(x, y), Some((y, y)));
        assert_eq!(Compare::Ne.narrow(x, y), Some((x, y)));
        let full = r(i64::MIN, i64::MAX);
        assert_eq!(
            Compare::Lt.narrow(full, full).map(|p| p.0.hi),
            Some(i64::MAX - 1)
        );
        assert_eq!(Compare::Lt.narrow(full, r(i64::MIN, i64::MIN)), None);
        for cc in [Compare::Lt, Compare::Le, Compare::Gt, Compare::Ge] {
            assert_eq!(cc.negated().negated(), cc);
        }
    }

    #[test]
    fn division_ranges_follow_truncation() {
        let r = Range::new;
        assert_eq!(divided(r(-7, 9), 2, true), Some(r(-3, 4)));
        assert_eq!(divided(r(-7, 9), -2, true), Some(r(-4, 3)));
        assert_eq!(divided(r(-7, 9), 3, false), Some(r(-2, 2)));
        assert_eq!(divided(r(0, 100), 7, false), Some(r(0, 6)));
        assert_eq!(divided(r(-100, -1), -7, false), Some(r(-6, 0)));
        assert_eq!(divided(r(0, 4), 7, false), Some(r(0, 4)));
        assert_eq!(divided(r(0, 4), i64::MIN, false), None);
    }
}
