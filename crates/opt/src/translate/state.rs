//! What the emitter knows about the cached slots at the point it is emitting: which differ
//! from the frame ("dirty"), and which hold a known tag.
//!
//! Optimized code keeps every frame slot in SSA variables. A slot is *clean* where its
//! variables are known to equal the frame (just loaded, or just stored) and *dirty* once an
//! inline op defines it. Before a helper runs, the dirty slots are stored; after it, only the
//! slots the op wrote are reloaded (`Op::written`, plus a call's window). A slot's tag is
//! *known* once an inline op produced it or a guard checked it; known tags need no check and
//! are stored as constants. The state is tracked while code is emitted in op order:
//!
//! * a block entered only by forward edges starts with the merge of its predecessors' states
//!   (all emitted before it): dirty if dirty on any edge, known if known alike on every edge;
//! * a loop header also assumes dirty every slot written between it and its last back edge,
//!   keeps the tags its entry brings for the slots live there (`liveness.rs`) or not written
//!   in the loop, and forgets the others (and a written slot that enters as `none`: most
//!   often a variable the loop is about to fill). A back edge that would break an assumption goes
//!   through an edge block that checks the tags (deoptimizing to the header's op when one
//!   differs) and stores the extra dirty slots, so the assumptions hold on every path by
//!   construction.
//!
//! A dirty-marked slot that is in fact clean costs a redundant store, an unknown tag a check;
//! neither ever gives a wrong value.
//!
//! It keeps the *range* of the numbers in some slots: bounds on an int (or on the int a
//! float was converted from) that hold on every path here. Arithmetic whose operands'
//! ranges rule out overflow needs no check (`i + 1` after `while i < n`), a divisor whose
//! range excludes zero no zero test. Ranges come from constants, lengths, the arithmetic
//! itself, compare-and-branch ops and `for` loop counters (`ranges.rs`); blocks keep the
//! hull of what every predecessor brings, loop headers what the loop does not change.
//!
//! It also keeps the struct descriptor a field access checked a slot's object against
//! until the slot is redefined: a struct's descriptor never changes, so later accesses to
//! fields of the same slot check nothing.

/// The emitter's knowledge of every slot at one point of the code.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SlotState {
    pub dirty: SlotSet,
    pub known: Vec<Option<u64>>,
    /// (slot, descriptor): the struct in the slot was checked to have that descriptor.
    pub descs: Vec<(u16, u64)>,
    /// By slot: the range of its number, when known.
    pub ranges: Vec<Option<Range>>,
}

/// Inclusive bounds on an int: `lo <= x <= hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    pub lo: i64,
    pub hi: i64,
    /// Whether the bounds rest on a speculated bound (`ranges.rs`), which the lower tier
    /// never checked: an on-stack-replacement entry must check them. The others follow
    /// from the program's own ops, which the lower tier ran alike.
    pub guarded: bool,
}

impl Range {
    pub(crate) fn new(lo: i64, hi: i64) -> Range {
        Range {
            lo,
            hi,
            guarded: false,
        }
    }

    pub(crate) fn exactly(k: i64) -> Range {
        Range::new(k, k)
    }

    /// The range of the exact results of `op` over all pairs of operands (`op` is monotonic
    /// in each operand, so the extremes are at the corners), computed in 128 bits and
    /// clipped to i64, and whether it needed no clipping (the operation cannot overflow).
    /// Where it may, the clipped range still holds of a result checked not to overflow.
    pub(crate) fn combine(self, other: Range, op: fn(i128, i128) -> i128) -> (Range, bool) {
        let corners = [
            op(self.lo as i128, other.lo as i128),
            op(self.lo as i128, other.hi as i128),
            op(self.hi as i128, other.lo as i128),
            op(self.hi as i128, other.hi as i128),
        ];
        let (lo, hi) = (corners.iter().min(), corners.iter().max());
        let (lo, hi) = (*lo.expect("four corners"), *hi.expect("four corners"));
        let clip = |x: i128| x.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        let fits = lo >= i64::MIN as i128 && hi <= i64::MAX as i128;
        let range = Range {
            lo: clip(lo),
            hi: clip(hi),
            guarded: self.guarded || other.guarded,
        };
        (range, fits)
    }

    pub(crate) fn contains(self, k: i64) -> bool {
        self.lo <= k && k <= self.hi
    }

    /// The values in both (`None`: none is).
    pub(crate) fn meet(self, other: Range) -> Option<Range> {
        let (lo, hi) = (self.lo.max(other.lo), self.hi.min(other.hi));
        (lo <= hi).then_some(Range {
            lo,
            hi,
            guarded: self.guarded || other.guarded,
        })
    }

    /// The smallest range holding both.
    pub(crate) fn hull(self, other: Range) -> Range {
        Range {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
            guarded: self.guarded || other.guarded,
        }
    }
}

impl SlotState {
    /// Nothing dirty, no tag known (at entry).
    pub(crate) fn new(nslots: usize) -> SlotState {
        SlotState {
            dirty: SlotSet::new(nslots),
            known: vec![None; nslots],
            descs: Vec::new(),
            ranges: vec![None; nslots],
        }
    }

    /// Slot `slot` was redefined: what was known of its struct and range is not any more.
    pub(crate) fn redefined(&mut self, slot: u16) {
        self.descs.retain(|&(s, _)| s != slot);
        self.ranges[slot as usize] = None;
    }

    /// What holds on both this path and `other`'s.
    pub(crate) fn merge(&mut self, other: &SlotState) {
        self.dirty.union_with(&other.dirty);
        for (k, o) in self.known.iter_mut().zip(&other.known) {
            if k != o {
                *k = None;
            }
        }
        self.descs.retain(|d| other.descs.contains(d));
        for (r, o) in self.ranges.iter_mut().zip(&other.ranges) {
            *r = match (*r, *o) {
                (Some(a), Some(b)) => Some(a.hull(b)),
                _ => None,
            };
        }
    }
}

/// A set of frame slots.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SlotSet {
    words: Vec<u64>,
}

impl SlotSet {
    pub(crate) fn new(nslots: usize) -> SlotSet {
        SlotSet {
            words: vec![0; nslots.div_ceil(64)],
        }
    }

    pub(crate) fn insert(&mut self, slot: u16) {
        self.words[slot as usize / 64] |= 1 << (slot % 64);
    }

    pub(crate) fn contains(&self, slot: u16) -> bool {
        self.words[slot as usize / 64] & (1 << (slot % 64)) != 0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub(crate) fn union_with(&mut self, other: &SlotSet) {
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
        }
    }

    /// The slots in both `self` and `other`.
    pub(crate) fn intersection(&self, other: &SlotSet) -> SlotSet {
        SlotSet {
            words: (self.words.iter().zip(&other.words))
                .map(|(w, o)| w & o)
                .collect(),
        }
    }

    /// The slots in `self` but not in `other`.
    pub(crate) fn minus(&self, other: &SlotSet) -> SlotSet {
        SlotSet {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(w, o)| w & !o)
                .collect(),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let bit = w.trailing_zeros();
                    w &= w - 1;
                    (i * 64 + bit as usize) as u16
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = SlotSet::new(130);
        for s in [0, 63, 64, 129] {
            a.insert(s);
        }
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 63, 64, 129]);
        let mut b = SlotSet::new(130);
        b.insert(64);
        b.insert(5);
        assert_eq!(a.minus(&b).iter().collect::<Vec<_>>(), [0, 63, 129]);
        b.union_with(&a);
        assert_eq!(b.iter().collect::<Vec<_>>(), [0, 5, 63, 64, 129]);
        assert!(SlotSet::new(130).is_empty() && !b.is_empty());
    }

    #[test]
    fn merging_keeps_what_holds_on_both_paths() {
        let mut a = SlotState::new(3);
        a.known = vec![Some(2), Some(3), None];
        a.dirty.insert(0);
        let mut b = SlotState::new(3);
        b.known = vec![Some(2), Some(2), Some(1)];
        b.dirty.insert(2);
        a.ranges = vec![Some(Range::exactly(1)), Some(Range::new(-4, 2)), None];
        b.ranges = vec![Some(Range::new(5, 9)), None, Some(Range::exactly(0))];
        a.merge(&b);
        assert_eq!(a.known, [Some(2), None, None]);
        assert_eq!(a.dirty.iter().collect::<Vec<_>>(), [0, 2]);
        assert_eq!(a.ranges, [Some(Range::new(1, 9)), None, None]);
    }

    #[test]
    fn range_arithmetic_is_exact_or_refused() {
        let add = |a: i128, b: i128| a + b;
        let mul = |a: i128, b: i128| a * b;
        let small = Range::new(-3, 5);
        assert_eq!(
            small.combine(Range::new(2, 4), mul),
            (Range::new(-12, 20), true)
        );
        let near_max = Range::new(i64::MAX - 8, i64::MAX);
        assert_eq!(
            small.combine(Range::exactly(i64::MAX - 5), add),
            (near_max, true)
        );
        let clipped = Range::new(i64::MAX - 7, i64::MAX);
        assert_eq!(
            small.combine(Range::exactly(i64::MAX - 4), add),
            (clipped, false)
        );
        let half = Range::new(0, 1 << 31);
        assert_eq!(half.combine(half, mul).0.hi, 1 << 62);
        assert!(!half.combine(Range::exactly(1 << 32), mul).1);
        assert!(small.contains(0) && !Range::new(1, 9).contains(0));
    }
}
