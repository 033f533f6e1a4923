//! Which slots are live (read before being written, on some path) at the start of each op.
//!
//! Chooses what a loop header assumes: a live slot keeps the tag it has on entry to the
//! loop (checked on the back edges), a dead one forgets it, so that temporaries reused with
//! other types inside the loop never fail a check; there precision affects speed only,
//! the back-edge checks making any assumption sound. It also decides which dirty slots are
//! stored before Rust code runs (a safepoint, a helper, a loop preheader): a dead slot is
//! not, so every read of a slot must be counted here, implicit ones included (the cells a
//! `MakeClosure` captures), or a collection frees what only a register held.

use mochi_bytecode::FRAME_HEADER;
use mochi_bytecode::ops::Op;
use mochi_bytecode::program::Program;

use super::state::SlotSet;

/// Functions larger than this (ops x slots) get no liveness: their loop headers assume
/// nothing, which is always sound.
const MAX_WORK: usize = 1 << 24;

/// The live slots at the start of each op of function `fi`, or `None` for huge functions.
pub(crate) fn live_in(program: &Program, fi: u32) -> Option<Vec<SlotSet>> {
    let f = &program.functions[fi as usize];
    let (n, nslots) = (f.code.len(), f.nslots as usize);
    if n.saturating_mul(nslots.max(1)) > MAX_WORK {
        return None;
    }
    let effects: Vec<(SlotSet, SlotSet)> = f
        .code
        .iter()
        .map(|op| reads_and_kills(program, op, nslots))
        .collect();
    let mut live = vec![SlotSet::new(nslots); n];
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            let op = &f.code[pc];
            let mut out = SlotSet::new(nslots);
            if !op.code().flags().terminates && pc + 1 < n {
                out.union_with(&live[pc + 1]);
            }
            if let Some(t) = op.target() {
                out.union_with(&live[t as usize]);
            }
            let (reads, kills) = &effects[pc];
            let mut new = out.minus(kills);
            new.union_with(reads);
            if new != live[pc] {
                live[pc] = new;
                changed = true;
            }
        }
    }
    Some(live)
}

/// The slots op reads ([`Op::for_each_read`]), and those it overwrites (its result; for a call, also its window,
/// which holds the callee's frame afterwards).
pub(crate) fn reads_and_kills(program: &Program, op: &Op, nslots: usize) -> (SlotSet, SlotSet) {
    let mut reads = SlotSet::new(nslots);
    let mut kills = SlotSet::new(nslots);
    op.for_each_read(program, |first, count| {
        for s in first as usize..(first as usize).saturating_add(count).min(nslots) {
            reads.insert(s as u16);
        }
    });
    if let Some(w) = op.written() {
        kills.insert(w.0);
    }
    if let Op::Call { base, .. } | Op::CallValue { base, .. } = *op {
        for s in (base.0 - FRAME_HEADER) as usize..nslots {
            kills.insert(s as u16);
        }
    }
    (reads, kills)
}
