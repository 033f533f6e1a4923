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
//! It also keeps the signed *orders* between int slots that a branch established on the way
//! here (`i < j` after `while i < j`), until either slot is redefined: `i + 1` cannot
//! overflow below such a `i < j`, nor `j - 1`, so they need no check. Blocks keep the orders
//! every predecessor brings; loop headers start with none. The same goes for the struct
//! descriptor a field access checked a slot's object against: a struct's descriptor never
//! changes, so later accesses to fields of the same slot check nothing.

use mochi_bytecode::ops::Op;

/// The emitter's knowledge of every slot at one point of the code.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SlotState {
    pub dirty: SlotSet,
    pub known: Vec<Option<u64>>,
    pub orders: Vec<Order>,
    /// (slot, descriptor): the struct in the slot was checked to have that descriptor.
    pub descs: Vec<(u16, u64)>,
}

/// A signed order between the int values of slots, or of a slot and a constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Order {
    /// Slot `.0` is less than slot `.1`.
    Less(u16, u16),
    /// The slot is less than the constant.
    Below(u16, i64),
    /// The slot is greater than the constant.
    Above(u16, i64),
}

impl Order {
    fn mentions(self, slot: u16) -> bool {
        match self {
            Order::Less(a, b) => a == slot || b == slot,
            Order::Below(a, _) | Order::Above(a, _) => a == slot,
        }
    }
}

impl SlotState {
    /// Nothing dirty, no tag known (at entry).
    pub(crate) fn new(nslots: usize) -> SlotState {
        SlotState {
            dirty: SlotSet::new(nslots),
            known: vec![None; nslots],
            orders: Vec::new(),
            descs: Vec::new(),
        }
    }

    /// Slot `slot` was redefined: what was known of its order and struct is not any more.
    pub(crate) fn redefined(&mut self, slot: u16) {
        self.orders.retain(|o| !o.mentions(slot));
        self.descs.retain(|&(s, _)| s != slot);
    }

    /// Whether slot `slot` is known to be less than some int (so it is not `i64::MAX`).
    pub(crate) fn below_max(&self, slot: u16) -> bool {
        (self.orders.iter())
            .any(|o| matches!(*o, Order::Less(a, _) | Order::Below(a, _) if a == slot))
    }

    /// Whether slot `slot` is known to be greater than some int (so it is not `i64::MIN`).
    pub(crate) fn above_min(&self, slot: u16) -> bool {
        (self.orders.iter())
            .any(|o| matches!(*o, Order::Less(_, b) | Order::Above(b, _) if b == slot))
    }

    /// What holds on both this path and `other`'s.
    pub(crate) fn merge(&mut self, other: &SlotState) {
        self.dirty.union_with(&other.dirty);
        for (k, o) in self.known.iter_mut().zip(&other.known) {
            if k != o {
                *k = None;
            }
        }
        self.orders.retain(|o| other.orders.contains(o));
        self.descs.retain(|d| other.descs.contains(d));
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

    pub(crate) fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
    }

    pub(crate) fn union_with(&mut self, other: &SlotSet) {
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
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

/// The order a compare-and-branch op establishes where it falls through (its condition
/// holds), when one bounds a slot away from `i64::MAX` or `i64::MIN`.
pub(crate) fn order_when_true(op: &Op) -> Option<Order> {
    match *op {
        Op::LtI64JumpIfFalse { a, b, .. } => Some(Order::Less(a.0, b.0)),
        Op::LtI64ImmJumpIfFalse { a, imm, .. } => Some(Order::Below(a.0, imm.0 as i64)),
        Op::LeI64ImmJumpIfFalse { a, imm, .. } => {
            (imm.0 as i64).checked_add(1).map(|k| Order::Below(a.0, k))
        }
        Op::GtI64ImmJumpIfFalse { a, imm, .. } => Some(Order::Above(a.0, imm.0 as i64)),
        Op::GeI64ImmJumpIfFalse { a, imm, .. } => {
            (imm.0 as i64).checked_sub(1).map(|k| Order::Above(a.0, k))
        }
        _ => None,
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
        b.clear();
        assert_eq!(b.iter().count(), 0);
    }

    #[test]
    fn merging_keeps_what_holds_on_both_paths() {
        let mut a = SlotState::new(3);
        a.known = vec![Some(2), Some(3), None];
        a.dirty.insert(0);
        let mut b = SlotState::new(3);
        b.known = vec![Some(2), Some(2), Some(1)];
        b.dirty.insert(2);
        a.merge(&b);
        assert_eq!(a.known, [Some(2), None, None]);
        assert_eq!(a.dirty.iter().collect::<Vec<_>>(), [0, 2]);
    }
}
