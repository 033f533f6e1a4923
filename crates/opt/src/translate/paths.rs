//! Leaving inline code: helper calls into Rust (the generic slow path of any op), fast
//! paths with a cold slow block, and speculation that deoptimizes to the lower tier.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, Block, InstBuilder};
use mochi_bytecode::ops::{Op, Reg};

use super::calls;
use super::state::{SlotSet, SlotState};
use super::{FunctionEmitter, I64, mem};
use crate::helpers;
use crate::{CTX_DEPTH, CTX_HEAP};
use mochi_runtime::heap::{HEAP_COLLECT_AT_OFFSET, HEAP_SINCE_GC_OFFSET};
use mochi_runtime::value::TAG_NONE;

/// A condition a speculation rests on.
#[derive(Clone, Copy, Debug)]
pub(super) enum Check {
    /// A tag, an overflow, an index: what deoptimizes.
    Tag(ir::Value),
    /// A loop guard: checked once before a loop (`helpers::LOOP_GUARD_DEOPT`).
    LoopGuard(ir::Value),
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// A fresh block for the code that goes on from the current one: cold if the current
    /// one is (a slow path's reloads after its helper returns), so that Cranelift lays it
    /// out with the cold code rather than between hot blocks, which would then jump over it.
    pub(super) fn continuation(&mut self) -> Block {
        let block = self.b.create_block();
        if let Some(here) = self.b.current_block()
            && self.b.func.layout.is_cold(here)
        {
            self.b.set_cold_block(block);
        }
        block
    }

    pub(super) fn helper(&mut self, addr: usize, pc: u32) -> ir::Value {
        let loc = ((self.flow.fi as u64) << 32) | pc as u64;
        let loc = self.b.ins().iconst(I64, loc as i64);
        self.helper_at(addr, loc)
    }

    /// Ends the current block by handing the function to the lower tier where this
    /// activation entered it (`start_pc`: the entry or a loop header), returning its status.
    pub(super) fn lower_tier_from_start(&mut self) {
        let fi = self.b.ins().iconst(I64, (self.flow.fi as i64) << 32);
        let loc = self.b.ins().bor(fi, self.start_pc);
        let status = self.helper_at(helpers::deopt as *const () as usize, loc);
        self.b.ins().return_(&[status]);
    }

    /// A helper call with `loc` computed at run time.
    pub(super) fn helper_at(&mut self, addr: usize, loc: ir::Value) -> ir::Value {
        // The depth lives in a register; the two helpers that read it find it in the context.
        if addr == helpers::call as *const () as usize
            || addr == helpers::deopt as *const () as usize
        {
            self.b.ins().store(mem(), self.depth, self.ctx, CTX_DEPTH);
        }
        let callee = self.b.ins().iconst(I64, addr as i64);
        let args = [self.frame, self.ctx, loc];
        let call = self.b.ins().call_indirect(self.sigs.helper, callee, &args);
        self.b.inst_results(call)[0]
    }

    /// Runs op `pc` in Rust (storing the dirty slots before, reloading what it wrote after);
    /// for a branch, goes to its target when the helper says so, else to `after`.
    pub(super) fn generic(&mut self, pc: u32, op: &Op, after: Block) {
        self.run_in_rust(pc, op, after, helpers::op as *const () as usize, None);
    }

    /// [`Self::generic`] through helper `addr` (with `helpers::op`'s contract), whose
    /// result, when it succeeds, has tag `result_tag` if given.
    pub(super) fn run_in_rust(
        &mut self,
        pc: u32,
        op: &Op,
        after: Block,
        addr: usize,
        result_tag: Option<u64>,
    ) {
        self.run_in_rust_then(pc, op, after, (addr, result_tag), false);
    }

    /// [`Self::run_in_rust`]; with `reload_live`, for a cold path that merges back into its
    /// op's fast path, the slots live after the op are then redefined from the frame (see
    /// [`Self::reload_live`]).
    fn run_in_rust_then(
        &mut self,
        pc: u32,
        op: &Op,
        after: Block,
        (addr, result_tag): (usize, Option<u64>),
        reload_live: bool,
    ) {
        assert!(
            self.inlined.is_none(),
            "inlined callees run no op generically"
        );
        let r = self.call_in_rust(pc, op, addr, result_tag);
        if reload_live {
            self.reload_live(pc, op);
        }
        self.branch_after(r, op, after);
    }

    /// Redefines each slot live after op `pc` (but the one it wrote, which `call_in_rust`
    /// reloaded) from the frame, keeping what was known of it: the frame holds it, stored
    /// before the call if it was dirty, and the op writes no other slot. Then no cached value
    /// lives across the call of a slow path, and the register allocator need neither keep a
    /// loop's values in callee-saved registers nor spill them on the fast path for it:
    /// sieve's inner loop stored and reloaded its index and bound every iteration.
    fn reload_live(&mut self, pc: u32, op: &Op) {
        let Some(live) = (self.flow.live.as_ref()).and_then(|l| l.get(pc as usize + 1)) else {
            return;
        };
        // Only the innermost loop's own variables: a value the loop does not change stays one
        // SSA value through it (a redefinition here would make it a phi and keep Cranelift
        // from hoisting what is computed from it: fannkuch ran 20% more instructions), and
        // spilling it costs a reload, not a store and a reload on the loop's critical path.
        let Some(changed) = self.innermost_loop_writes(pc) else {
            return;
        };
        let live: Vec<u16> = live.iter().filter(|&s| changed.contains(s)).collect();
        let written = op.written().map(|r| r.0);
        let known = self.state.known.clone();
        let descs = self.state.descs.clone();
        for slot in live {
            let tag = known[slot as usize];
            // A `none` is a constant, nothing for a register to hold.
            if Some(slot) == written || tag == Some(TAG_NONE) {
                continue;
            }
            // The value is the same one: what held of it still does.
            let range = self.range(Reg(slot));
            self.reload(slot);
            if let Some(tag) = tag {
                self.know(Reg(slot), tag);
            }
            self.set_range(Reg(slot), range);
        }
        self.state.descs = descs;
    }

    /// The slots written in the innermost loop around op `pc` (`None` outside loops).
    fn innermost_loop_writes(&self, pc: u32) -> Option<SlotSet> {
        let pc = pc as usize;
        let (header, end) = (0..=pc).rev().find_map(|h| {
            self.flow.loop_end[h]
                .filter(|&e| e as usize >= pc)
                .map(|e| (h, e))
        })?;
        let n = self.slots.len();
        let mut written = SlotSet::new(n);
        let code = &self.vm.program.functions[self.flow.fi as usize].code;
        for op in &code[header..=end as usize] {
            if let Some(r) = op.written() {
                written.insert(r.0);
            }
            if let Some(first) = calls::window_start(op) {
                for slot in first..n as u16 {
                    written.insert(slot);
                }
            }
        }
        Some(written)
    }

    /// Continues after a helper ran op `op` with status `r`: at its branch target when the
    /// helper took it, else at `after`.
    fn branch_after(&mut self, r: ir::Value, op: &Op, after: Block) {
        match op.target() {
            Some(t) => {
                let taken = self.b.ins().icmp_imm_s(IntCC::Equal, r, 2);
                let target = self.branch_to(t);
                self.b.ins().brif(taken, target, &[], after, &[]);
            }
            None => {
                self.b.ins().jump(after, &[]);
            }
        }
    }

    /// The call of [`Self::run_in_rust`]: leaves the builder where the helper succeeded, the
    /// slot the op wrote reloaded; returns the helper's status.
    pub(super) fn call_in_rust(
        &mut self,
        pc: u32,
        op: &Op,
        addr: usize,
        result_tag: Option<u64>,
    ) -> ir::Value {
        self.spill_dirty(pc);
        let r = self.helper(addr, pc);
        let failed = self.b.ins().icmp_imm_s(IntCC::Equal, r, 1);
        let ok = self.continuation();
        self.b.ins().brif(failed, self.error, &[], ok, &[]);
        self.switch_to(ok);
        if let Some(w) = op.written() {
            self.reload(w.0);
            if let Some(tag) = result_tag {
                self.know(w, tag);
            }
        }
        self.reread_views();
        r
    }

    /// Starts an op's inline fast path whose checks ([`Self::check_or`]) share one cold
    /// block running the op in Rust; returns that block and the state it starts with.
    pub(super) fn fast_path(&mut self) -> (Block, SlotState) {
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        (slow, self.state.clone())
    }

    /// Goes on in a fresh block of the fast path where `ok` holds, else to `slow`.
    pub(super) fn check_or(&mut self, ok: ir::Value, slow: Block) {
        let next = self.continuation();
        self.b.ins().brif(ok, next, &[], slow, &[]);
        self.switch_to(next);
    }

    /// Ends the fast path of [`Self::fast_path`] with a jump to `after`, then emits its slow
    /// block: the op through helper `addr` (see [`Self::run_in_rust`]), also on to `after`.
    /// The fast path's state stays current (the slow path stores what is dirty, so it
    /// carries no more). Control has left when this returns.
    pub(super) fn slow_path(
        &mut self,
        (slow, entry): (Block, SlotState),
        pc: u32,
        op: &Op,
        after: Block,
        addr: usize,
        result_tag: Option<u64>,
    ) {
        // Cranelift wants a block filled before the builder switches away from it.
        self.b.ins().jump(after, &[]);
        let state = std::mem::replace(&mut self.state, entry);
        self.switch_to(slow);
        self.run_in_rust_then(pc, op, after, (addr, result_tag), true);
        self.state = state;
    }

    /// Branches to a fresh fast-path block when `ok`, else to a slow block running the op
    /// generically and continuing at `after`. Leaves the builder in the fast block. Only
    /// for ops that write no slot, so both paths reach `after` with the same knowledge.
    pub(super) fn guard(&mut self, ok: ir::Value, pc: u32, op: &Op, after: Block) {
        debug_assert!(
            op.written().is_none(),
            "a slow path merging back writes no slot"
        );
        if self.inlined.is_some() {
            // No slow path inside an inlined callee: the caller's call runs it.
            self.speculate(ok, pc);
            return;
        }
        let fast = self.continuation();
        let slow = self.b.create_block();
        self.b.ins().brif(ok, fast, &[], slow, &[]);
        self.b.set_cold_block(slow);
        self.switch_to(slow);
        // The slow path stores the dirty slots; the fast path goes on with them cached.
        let state = self.state.clone();
        let generic = helpers::op as *const () as usize;
        self.run_in_rust_then(pc, op, after, (generic, None), true);
        self.state = state;
        self.switch_to(fast);
    }

    /// Speculates that `ok` holds; where it does not, deoptimizes: the dirty slots are
    /// stored and the interpreter runs the function from op `pc` to its return, whose
    /// status this code returns. Leaves the builder where `ok` held.
    pub(super) fn speculate(&mut self, ok: ir::Value, pc: u32) {
        self.speculate_all(&[ok], pc);
    }

    /// [`Self::speculate`] on every condition of `oks`, each one a branch of its own to one
    /// shared exit: x86 fuses a compare with its branch, but an `and` of two compares costs
    /// two `setcc`s and a `test` more.
    pub(super) fn speculate_all(&mut self, oks: &[ir::Value], pc: u32) {
        let checks: Vec<Check> = oks.iter().map(|&ok| Check::Tag(ok)).collect();
        self.speculate_checks(&checks, pc);
    }

    /// [`Self::speculate_all`] on conditions of either kind: an exit taken for a failed
    /// bound also has the function compiled again without bounds (`ranges.rs`). One exit
    /// serves both kinds (a block parameter says which failed): every exit is a block of
    /// stores for Cranelift to compile.
    pub(super) fn speculate_checks(&mut self, checks: &[Check], pc: u32) {
        let bound = |c: &Check| matches!(c, Check::LoopGuard(_));
        let kinds = (checks.iter().any(bound), !checks.iter().all(bound));
        let mut fast = self.continuation();
        let exit = self.b.create_block();
        let flag = (kinds == (true, true)).then(|| self.b.append_block_param(exit, I64));
        for (i, check) in checks.iter().enumerate() {
            let (Check::Tag(ok) | Check::LoopGuard(ok)) = *check;
            let bit = if bound(check) {
                helpers::LOOP_GUARD_DEOPT
            } else {
                0
            };
            let args = match flag {
                Some(_) => vec![self.b.ins().iconst(I64, bit as i64).into()],
                None => vec![],
            };
            self.b.ins().brif(ok, fast, &[], exit, &args);
            if i + 1 < checks.len() {
                self.switch_to(fast);
                fast = self.continuation();
            }
        }
        self.b.set_cold_block(exit);
        self.switch_to(exit);
        // Inside an inlined callee, the caller's `Call` op is where the lower tier resumes,
        // with the caller's slots (the callee's values are dropped).
        let (pc, saved) = match self.inlined.take() {
            Some(mut caller) => {
                let slots = std::mem::replace(&mut self.slots, caller.slots.clone());
                let state = std::mem::replace(&mut self.state, caller.state.clone());
                std::mem::swap(&mut self.flow, &mut caller.flow);
                (caller.call_pc, Some((caller, slots, state)))
            }
            None => (pc, None),
        };
        let state = self.state.clone();
        self.spill_live(pc);
        let mut loc = ((self.flow.fi as u64) << 32) | pc as u64;
        if kinds == (true, false) {
            loc |= helpers::LOOP_GUARD_DEOPT;
        }
        let mut loc = self.b.ins().iconst(I64, loc as i64);
        if let Some(flag) = flag {
            loc = self.b.ins().bor(loc, flag);
        }
        let status = self.helper_at(helpers::deopt as *const () as usize, loc);
        self.b.ins().return_(&[status]);
        self.state = state;
        if let Some((mut caller, slots, state)) = saved {
            self.slots = slots;
            self.state = state;
            std::mem::swap(&mut self.flow, &mut caller.flow);
            self.inlined = Some(caller);
        }
        self.switch_to(fast);
    }

    /// Speculates that each slot holds its tag (checking those not known already); they are
    /// known afterwards.
    pub(super) fn expect(&mut self, tags: &[(Reg, u64)], pc: u32) {
        let checks = self.tag_checks(tags);
        if !checks.is_empty() {
            self.speculate_checks(&checks, pc);
        }
        self.know_all(tags);
    }

    /// The conditions that each slot holds its tag (for those not known already), for the
    /// caller to speculate on before it records them with [`Self::know_all`] (the exit
    /// stores the slots' tags as they are, unchecked).
    pub(super) fn tag_checks(&mut self, tags: &[(Reg, u64)]) -> Vec<Check> {
        let mut checks = Vec::new();
        for &(r, tag) in tags {
            if self.state.known[r.0 as usize] != Some(tag) {
                let t = self.b.use_var(self.slots[r.0 as usize].tag);
                let ok = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag as i64);
                checks.push(Check::Tag(ok));
            }
        }
        checks
    }

    pub(super) fn know_all(&mut self, tags: &[(Reg, u64)]) {
        for &(r, tag) in tags {
            self.know(r, tag);
        }
    }

    /// Checks, right after op `pc` loaded slot `dst`, the tag its next use will expect (see
    /// `hints.rs`); a mismatch deoptimizes to the next op, whose frame then holds the value.
    pub(super) fn settle_tag(&mut self, pc: u32, dst: Reg) {
        if self.inlined.is_some() {
            return; // the hints describe the caller's ops
        }
        if let Some(tag) = self.flow.eager[pc as usize] {
            self.expect(&[(dst, tag)], pc + 1);
        }
    }
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// After op `pc` allocated without Rust code collecting: the safepoint the generic
    /// helper would have made. Inline, the heap's allocation count is compared with the
    /// count at which it collects (`Heap::should_collect` in one compare); only then are
    /// the live dirty slots stored and the collector run. Its objects do not move, so
    /// nothing cached is reloaded. A dead dirty slot may hold an object the collection
    /// freed: it is dropped from the dirty set on both paths, or a later store (a loop
    /// preheader's, a back edge's) would put the freed pointer in the frame, where the
    /// next collection traces it (the differential tester's GC-stress runs crashed so).
    pub(super) fn safepoint_after(&mut self, pc: u32) {
        let heap = self.b.ins().load(I64, mem(), self.ctx, CTX_HEAP);
        let since = (self.b.ins()).load(I64, mem(), heap, HEAP_SINCE_GC_OFFSET as i32);
        let at = (self.b.ins()).load(I64, mem(), heap, HEAP_COLLECT_AT_OFFSET as i32);
        let due = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, since, at);
        let (stop, done) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(due, stop, &[], done, &[]);
        self.b.set_cold_block(stop);
        self.switch_to(stop);
        let code_len = self.vm.program.functions[self.flow.fi as usize].code.len() as u32;
        let next = (pc + 1).min(code_len - 1);
        self.spill_live(next);
        let status = self.helper(helpers::safepoint as *const () as usize, pc);
        self.b.ins().brif(status, self.error, &[], done, &[]);
        self.switch_to(done);
        if let Some(live) = self.flow.live.as_ref().map(|l| &l[next as usize]) {
            self.state.dirty = self.state.dirty.intersection(live);
        }
    }
}
