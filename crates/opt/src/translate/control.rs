//! Control flow between bytecode blocks: what a block starts knowing, loop headers and
//! their preheaders, back edges that restore a header's assumptions, and the
//! on-stack-replacement entries into loop headers.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{Block, InstBuilder};
use mochi_bytecode::ops::Reg;
use mochi_runtime::value::{TAG_INT, TAG_NONE};

use super::paths::Check;
use super::state::{SlotSet, SlotState};
use super::{BackEdge, FunctionEmitter, calls, speculation};
use crate::helpers;

impl FunctionEmitter<'_, '_, '_, '_> {
    /// Starts the block of op `pc` with what its predecessors bring (for a loop header, also
    /// what the loop may change; see `state.rs`).
    pub(super) fn enter_block(&mut self, pc: usize) {
        self.flow.entered[pc] = true;
        // A block entered from several places is not dominated by what came before it.
        self.checked_arith.clear();
        self.proven.clear();
        let mut state = self.flow.pending[pc]
            .take()
            .unwrap_or_else(|| SlotState::new(self.slots.len()));
        if let (Some(end), Some(preheader)) = (self.flow.loop_end[pc], self.flow.preheaders[pc]) {
            self.switch_to(preheader);
            self.state = state;
            if self.inlined.is_none() {
                // Views an earlier inner loop set aside come back before this loop's own.
                self.resume_views(pc as u32);
            }
            let invariant = self.loop_invariant_tags(pc, end as usize);
            let mut checks = self.tag_checks(&invariant);
            let code = &self.vm.program.functions[self.flow.fi as usize].code;
            let mut changed = SlotSet::new(self.slots.len());
            let mut written = SlotSet::new(self.slots.len());
            for op in &code[pc..=end as usize] {
                if let Some(r) = op.written() {
                    changed.insert(r.0);
                    written.insert(r.0);
                }
                if let Some(first) = calls::window_start(op) {
                    for slot in first..self.slots.len() as u16 {
                        changed.insert(slot);
                    }
                }
            }
            // One exit for the tags and the counter's bounds.
            let counter = self.counter_range(pc, end as usize, &changed, &invariant, &mut checks);
            let stepped = self.stepped_ranges(pc, end as usize);
            let counts = counter.is_some_and(|(_, r)| r.lo >= 0);
            let mut counted = Vec::new();
            if counts && self.loop_guards && self.inlined.is_none() {
                let oks;
                (counted, oks) = self.counted_lists(pc, end as usize, &changed);
                checks.extend(oks.into_iter().map(Check::LoopGuard));
            }
            if !checks.is_empty() {
                self.speculate_checks(&checks, pc as u32);
            }
            self.know_all(&invariant);
            if self.inlined.is_none() {
                self.count_lists(pc, counted);
            }
            self.hoist_field_checks(pc, end as usize, &changed);
            self.hoist_float_constants(pc, end as usize);
            // The dirty slots the loop never writes are stored once, here: otherwise every
            // deoptimization exit in the loop would keep them alive (an outer loop's values
            // held in registers through the inner loop) and every helper call store them.
            // A dead one is dropped unstored: its register may hold an object a collection
            // freed (one made inline, never in the frame; `safepoint_after`).
            let settled = self.state.dirty.minus(&changed);
            for slot in settled.iter() {
                if self.live_at(pc as u32, slot) {
                    self.store_slot(slot);
                }
            }
            self.state.dirty = self.state.dirty.minus(&settled);
            self.open_views(pc, end as usize, &changed);
            self.own_buffers(pc, end as usize);
            let header = self.flow.blocks[pc].expect("loop headers start blocks");
            let entry = self.flow.loop_entries[pc].expect("loops have an entry block");
            self.b.ins().jump(entry, &[]);
            self.switch_to(entry);
            self.b.ins().jump(header, &[]);
            state = self.state.clone();
            state.dirty.union_with(&written);
            let live = self.flow.live.as_ref().map(|live| &live[pc]);
            for slot in changed.iter() {
                // A slot that enters as `none` is most often a variable the loop is about to
                // fill (`var best = none`, an owned list's owner): assuming it stays `none`
                // would deoptimize on the first back edge.
                let enters_none = state.known[slot as usize] == Some(TAG_NONE);
                if enters_none || !live.is_some_and(|live| live.contains(slot)) {
                    state.known[slot as usize] = None;
                }
            }
            // A dead slot is assumed nothing: an on-stack-replacement entry would check it
            // (a 250-element literal before a loop left 250 known-int slots, each loaded
            // and checked by every entry).
            if let Some(live) = live {
                for slot in 0..state.known.len() as u16 {
                    if !live.contains(slot) {
                        state.known[slot as usize] = None;
                    }
                }
                state.descs.retain(|&(slot, _)| live.contains(slot));
            }
            // A struct's descriptor is fixed: what holds of a slot the loop does not write
            // holds on every iteration (an on-stack-replacement entry checks it).
            state.descs.retain(|&(slot, _)| !changed.contains(slot));
            for (slot, range) in state.ranges.iter_mut().enumerate() {
                // Float ranges stay within blocks (an entry checks only int ones).
                let int = state.known[slot] == Some(TAG_INT);
                if changed.contains(slot as u16) || !int {
                    *range = None;
                }
            }
            for (slot, range) in counter.into_iter().chain(stepped) {
                if state.known[slot.0 as usize] == Some(TAG_INT) {
                    state.ranges[slot.0 as usize] = Some(range);
                }
            }
            self.flow.assumed[pc] = Some(state.clone());
        }
        self.switch_to(self.flow.blocks[pc].expect("block starts start blocks"));
        self.state = state;
    }

    /// The tags the loop `header..=end` speculates on before it starts: for each slot the
    /// loop reads but never writes, whose tag is not known yet, the tag all of the loop's
    /// typed ops expect of it (when they agree).
    pub(super) fn loop_invariant_tags(&self, header: usize, end: usize) -> Vec<(Reg, u64)> {
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        let n = self.slots.len();
        let mut written = SlotSet::new(n);
        let mut wanted: Vec<Option<Option<u64>>> = vec![None; n];
        for op in &code[header..=end] {
            if let Some(r) = op.written() {
                written.insert(r.0);
            }
            if let Some(first) = calls::window_start(op) {
                for slot in first..n as u16 {
                    written.insert(slot);
                }
            }
            for (r, tag) in speculation::expected_tags(op) {
                let w = &mut wanted[r.0 as usize];
                *w = match *w {
                    None => Some(Some(tag)),
                    Some(Some(t)) if t == tag => Some(Some(t)),
                    // Uses disagree: no speculation on this slot.
                    Some(_) => Some(None),
                };
            }
        }
        (0..n)
            .filter_map(|slot| match wanted[slot] {
                Some(Some(tag))
                    if !written.contains(slot as u16) && self.state.known[slot].is_none() =>
                {
                    Some((Reg(slot as u16), tag))
                }
                _ => None,
            })
            .collect()
    }

    /// The entry's dispatch on `start_pc`: a call (0) goes on in a fresh block; any other
    /// value enters the loop header it names through a block returned here (by header),
    /// filled by [`Self::osr_entries`] once the headers' assumptions are known.
    pub(super) fn osr_dispatch(&mut self) -> Vec<(u32, Block)> {
        let headers: Vec<(u32, Block)> = (self.flow.loop_end.iter().enumerate())
            .filter(|(_, end)| end.is_some())
            .map(|(pc, _)| (pc as u32, self.b.create_block()))
            .collect();
        let call = self.b.create_block();
        let is_call = self.b.ins().icmp_imm_s(IntCC::Equal, self.start_pc, 0);
        let mut next = self.b.create_block();
        self.b.ins().brif(is_call, call, &[], next, &[]);
        for &(pc, block) in &headers {
            self.b.set_cold_block(next);
            self.switch_to(next);
            let is = self
                .b
                .ins()
                .icmp_imm_s(IntCC::Equal, self.start_pc, pc as i64);
            next = self.b.create_block();
            self.b.ins().brif(is, block, &[], next, &[]);
        }
        // Not a loop header (the lower tier only enters at one): the interpreter goes on.
        self.b.set_cold_block(next);
        self.switch_to(next);
        self.lower_tier_from_start();
        self.switch_to(call);
        headers
    }

    /// On-stack replacement entries: each reloads every slot from the frame the lower tier
    /// left, checks the tags its loop header assumes (deoptimizing to the header when one
    /// differs) and jumps to the header.
    pub(super) fn osr_entries(&mut self, entries: Vec<(u32, Block)>) {
        self.checked_arith.clear();
        self.proven.clear();
        for (pc, block) in entries {
            self.switch_to(block);
            self.state = SlotState::new(self.slots.len());
            let Some(assumed) = self.flow.assumed[pc as usize].clone() else {
                // The header is unreachable from the entry: nothing was compiled for it.
                let status = self.helper(helpers::deopt as *const () as usize, pc);
                self.b.ins().return_(&[status]);
                continue;
            };
            // Every slot is loaded, dead ones too: the views of enclosing loops entered
            // below read their lists' slots, which may be dead here (an outer loop that a
            // `break` after this one never lets iterate again: differential seed 10161,
            // `tests/programs/osr_generated_10161`, crashed reading a view of list 0).
            // Cheap now that the header assumes nothing of dead slots (no check for them).
            for slot in 0..self.slots.len() as u16 {
                self.reload(slot);
            }
            let checks: Vec<(Reg, u64)> = (assumed.known.iter().enumerate())
                .filter_map(|(slot, tag)| tag.map(|tag| (Reg(slot as u16), tag)))
                .collect();
            let mut tags = checks;
            let extra = self.counted_tags(pc);
            let extra = extra.into_iter().chain(self.field_tags(pc, &assumed.descs));
            for tag in extra {
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            let mut checks = self.tag_checks(&tags);
            checks.extend(self.range_checks(&assumed, pc));
            if !checks.is_empty() {
                self.speculate_checks(&checks, pc);
            }
            self.know_all(&tags);
            self.enter_views(pc);
            self.enter_counted(pc);
            self.enter_field_views(pc, &assumed.descs);
            self.enter_floats(pc);
            let entry = self.flow.loop_entries[pc as usize].expect("loops have an entry block");
            self.b.ins().jump(entry, &[]);
        }
    }

    /// The block of jump target `t`, for a branch about to be emitted with the current
    /// state: a forward edge merges it into the target's; a back edge first stores what the
    /// loop header does not assume dirty.
    pub(super) fn branch_to(&mut self, t: u32) -> Block {
        if !self.flow.entered[t as usize] {
            match &mut self.flow.pending[t as usize] {
                Some(pending) => pending.merge(&self.state),
                none => *none = Some(self.state.clone()),
            }
            if let Some(preheader) = self.flow.preheaders[t as usize] {
                return preheader;
            }
        } else {
            let assumed = self.flow.assumed[t as usize]
                .as_ref()
                .expect("a loop header is emitted before its back edges");
            let holds = self.state.dirty.minus(&assumed.dirty).is_empty()
                && (assumed.known.iter())
                    .zip(&self.state.known)
                    .all(|(a, k)| a.is_none() || a == k);
            if !holds {
                let block = self.b.create_block();
                self.flow.deferred.push(BackEdge {
                    block,
                    header: t,
                    state: self.state.clone(),
                });
                return block;
            }
        }
        self.flow.blocks[t as usize].expect("jump targets start blocks")
    }

    /// Emits the deferred back edges: each checks the tags its loop header assumes but the
    /// edge does not know (deoptimizing to the header's op if one differs), stores the slots
    /// the header does not assume dirty, and jumps to the header.
    pub(super) fn emit_back_edges(&mut self) {
        let here = std::mem::replace(&mut self.state, SlotState::new(0));
        for edge in std::mem::take(&mut self.flow.deferred) {
            self.switch_to(edge.block);
            self.state = edge.state;
            let assumed = self.flow.assumed[edge.header as usize]
                .clone()
                .expect("a loop header is emitted before its back edges");
            let checks: Vec<(Reg, u64)> = (assumed.known.iter().enumerate())
                .filter_map(|(slot, tag)| tag.map(|tag| (Reg(slot as u16), tag)))
                .collect();
            self.expect(&checks, edge.header);
            // Not a slot dead at the header: it is written before it is read, and its register
            // may hold an object a collection freed (see the preheader's stores).
            for slot in self
                .state
                .dirty
                .minus(&assumed.dirty)
                .iter()
                .collect::<Vec<_>>()
            {
                if self.live_at(edge.header, slot) {
                    self.store_slot(slot);
                }
            }
            let header = self.flow.blocks[edge.header as usize].expect("jump targets start blocks");
            self.b.ins().jump(header, &[]);
        }
        self.state = here;
    }
}
