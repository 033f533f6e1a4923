//! Mochi calls from optimized code.
//!
//! A `Call` of a function that has optimized code is a direct native call: the caller checks
//! the depth limit (the depth is an entry parameter, in a register, passed on plus one) and,
//! in one compare with the GC's scan limit, the stack limit (a callee whose top is at or
//! below the scan limit fits; above it, a cold branch checks the stack's end and raises the
//! limit), writes the callee's header and calls the callee's entry on the callee's frame
//! (`frame + base`): read from the entries table, or, for a call of the function itself, a
//! `call` to its own start. Everything else (no
//! optimized code yet, a limit hit, `CallValue`) goes through `helpers::call`, which runs the
//! callee in whichever tier has it and reports limit errors exactly as the interpreter does.
//!
//! Either way the dirty slots are stored first (the arguments are read from the frame, and a
//! collection in the callee must see the caller's heap pointers; ints and floats below the
//! window stay cached) and, after the call, the result slot and the window (whose slots are
//! the callee's frame now) are reloaded.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, Block, InstBuilder};
use mochi_bytecode::FRAME_HEADER;
use mochi_bytecode::ops::{Op, Reg};
use mochi_runtime::heap::{CLOSURE_FUNC_OFFSET, ObjKind};
use mochi_runtime::interp::MAX_CALL_DEPTH;
use mochi_runtime::value::{VALUE_SIZE, VALUE_TAG_OFFSET};

use super::{FunctionEmitter, I64, inline, mem};
use crate::{CTX_HIGH_WATER, CTX_STACK_END, helpers};

/// The first slot a call op clobbers: its callee's frame (header included) overlaps the
/// caller's slots from there up.
pub(super) fn window_start(op: &Op) -> Option<u16> {
    match *op {
        Op::Call { base, .. } | Op::CallValue { base, .. } => Some(base.0 - FRAME_HEADER),
        _ => None,
    }
}

/// Where a call's result goes: `join` (payload, tag) and, when the op after the call expects
/// a tag of it (`hints.rs`), a result of any other tag to `mismatch` (payload, tag), which
/// deoptimizes to that op, so that `join` knows the tag without checking it.
#[derive(Clone, Copy)]
struct Landing {
    join: Block,
    expect: Option<(u64, Block)>,
}

/// The optimized code a native call enters.
#[derive(Clone, Copy)]
enum Callee {
    /// The function being compiled (a `call` to its own start).
    Direct(ir::FuncRef),
    /// The entry address in a register.
    Indirect(ir::Value),
}

impl FunctionEmitter<'_, '_, '_, '_> {
    /// Emits `Call`/`CallValue` op `pc`; control continues at `after`.
    pub(super) fn call(&mut self, pc: u32, op: &Op, after: Block) {
        if let Op::Call {
            dst, func, base, ..
        } = *op
            && self.inlined.is_none()
            && inline::inlinable(self.vm.program, func.0)
        {
            self.inline_call(pc, func.0, dst, base, after);
            return;
        }
        let window = window_start(op).expect("calls have a window");
        self.spill_for_call(pc, window);
        // The result (payload, tag) arrives as the join block's parameters.
        let join = self.b.create_block();
        self.b.append_block_param(join, I64);
        self.b.append_block_param(join, I64);
        let expect = self.flow.eager[pc as usize].map(|tag| {
            let mismatch = self.b.create_block();
            self.b.append_block_param(mismatch, I64);
            self.b.append_block_param(mismatch, I64);
            (tag, mismatch)
        });
        let join = Landing { join, expect };
        let before = self.state.clone();
        let (dst, base) = match *op {
            Op::Call {
                dst, func, base, ..
            } => {
                let slow = self.b.create_block();
                self.direct_call(func.0, base, slow, join);
                self.b.set_cold_block(slow);
                self.switch_to(slow);
                self.helper_call(pc, dst, join);
                (dst, base)
            }
            Op::CallValue {
                dst,
                callee,
                base,
                nargs,
            } => {
                let slow = self.b.create_block();
                self.closure_call(callee, nargs.0, base, slow, join);
                self.b.set_cold_block(slow);
                self.switch_to(slow);
                self.helper_call(pc, dst, join);
                (dst, base)
            }
            _ => unreachable!("only calls come here"),
        };
        // The tag the result's first reader expects, checked as the result arrives: a result
        // known to be an int or a float need not be stored before a later call
        // (`fib(n - 1) + fib(n - 2)`), and its reader checks nothing. Any other tag
        // deoptimizes to that reader, whose frame then holds the result.
        if let Some((_, mismatch)) = join.expect {
            self.switch_to(mismatch);
            self.b.set_cold_block(mismatch);
            self.state = before.clone();
            let (bits, tag) = (
                self.b.block_params(mismatch)[0],
                self.b.block_params(mismatch)[1],
            );
            self.after_call(pc, base);
            self.set_dyn(dst, bits, tag);
            let never = self.b.ins().iconst(ir::types::I8, 0);
            self.speculate(never, pc + 1);
            self.b.ins().jump(self.error, &[]);
        }
        self.state = before;
        self.switch_to(join.join);
        let params = self.b.block_params(join.join);
        let (bits, tag) = (params[0], params[1]);
        self.after_call(pc, base);
        match join.expect {
            Some((known, _)) => self.set(dst, bits, known),
            None => self.set_dyn(dst, bits, tag),
        }
        self.reread_views();
        self.b.ins().jump(after, &[]);
    }

    /// After call op `pc` with window `base`: the window holds the callee's frame now. Its
    /// slots are dead after the call (the compiler rewrites them before reading them again);
    /// they are cached as `none`, so that a stale cached pointer can never reach the frame or
    /// the GC later.
    fn after_call(&mut self, pc: u32, base: Reg) {
        let live = self
            .flow
            .live
            .as_ref()
            .map(|live| live[pc as usize + 1].clone());
        for slot in base.0 - FRAME_HEADER..self.slots.len() as u16 {
            if live.as_ref().is_none_or(|live| live.contains(slot)) {
                self.reload(slot);
            } else {
                self.forget(slot);
            }
        }
    }

    /// Hands a call's result to `landing`: to its join, or to its mismatch block when the
    /// tag is not the one expected.
    fn land(&mut self, landing: Landing, bits: ir::Value, tag: ir::Value) {
        match landing.expect {
            Some((known, mismatch)) => {
                let ok = self.b.ins().icmp_imm_s(IntCC::Equal, tag, known as i64);
                let args = [bits.into(), tag.into()];
                (self.b.ins()).brif(ok, landing.join, &args, mismatch, &args);
            }
            None => {
                self.b.ins().jump(landing.join, &[bits.into(), tag.into()]);
            }
        }
    }

    /// The call through `helpers::call` (which stores the result in the caller's `dst`
    /// slot), then to `join` with the result (or to the error exit).
    fn helper_call(&mut self, pc: u32, dst: Reg, join: Landing) {
        let r = self.helper(helpers::call as *const () as usize, pc);
        let failed = self.b.ins().icmp_imm_s(IntCC::Equal, r, 1);
        let done = self.continuation();
        self.b.ins().brif(failed, self.error, &[], done, &[]);
        self.switch_to(done);
        let off = (dst.0 as usize * VALUE_SIZE) as i32;
        let (bits, tag) = self.load_value(self.frame, off);
        self.land(join, bits, tag);
    }

    /// The native call of function `f` when it has optimized code and the limits allow
    /// (else to `slow`); the result goes to `join`.
    fn direct_call(&mut self, f: u32, base: Reg, slow: Block, join: Landing) {
        let entry = match self.sigs.me {
            // A recursive call: this code exists while it runs. (Once the function has lost
            // its optimized code, activations still in it go on calling it; each deoptimizes
            // as before, and calls from the lower tier no longer reach it.)
            Some(me) if f == self.flow.fi => Callee::Direct(me),
            _ => {
                let entry_at = self
                    .b
                    .ins()
                    .iconst(I64, (self.entries + 8 * f as usize) as i64);
                let entry = self.b.ins().load(I64, mem(), entry_at, 0);
                self.check_or(entry, slow);
                Callee::Indirect(entry)
            }
        };
        // The header (`base - 2`, `base - 1`) keeps the caller's old values, valid for the
        // GC: a function without captured variables never reads its closure slot, and its
        // result is written there on return.
        debug_assert_eq!(self.vm.program.functions[f as usize].nupvals, 0);
        let nslots = self.vm.program.functions[f as usize].nslots as i64;
        let nslots = self.b.ins().iconst(I64, nslots);
        self.native_call(entry, nslots, None, base, slow, join);
    }

    /// A `CallValue` of a closure whose function has optimized code and takes exactly
    /// `nargs` parameters: a native call with the closure as the callee's header (else to
    /// `slow`: partial applications, arity errors, no optimized code yet).
    fn closure_call(&mut self, callee: Reg, nargs: u16, base: Reg, slow: Block, join: Landing) {
        let tag = self.tag(callee);
        let is_closure = (self.b.ins()).icmp_imm_s(IntCC::Equal, tag, ObjKind::Closure as i64);
        let closure = self.b.create_block();
        self.b.ins().brif(is_closure, closure, &[], slow, &[]);
        self.switch_to(closure);
        let clo = self.bits(callee);
        let f = (self.b.ins()).uload32(mem(), clo, CLOSURE_FUNC_OFFSET as i32);
        let at = self.b.ins().ishl_imm_u(f, 3);
        let entries = self.b.ins().iconst(I64, self.entries as i64);
        let entry_at = self.b.ins().iadd(entries, at);
        let entry = self.b.ins().load(I64, mem(), entry_at, 0);
        let shapes = self.b.ins().iconst(I64, self.shapes as i64);
        let shape_at = self.b.ins().iadd(shapes, at);
        let shape = self.b.ins().load(I64, mem(), shape_at, 0);
        let nparams = self.b.ins().ushr_imm_u(shape, 32);
        let nslots = self.b.ins().band_imm_u(shape, 0xffff_ffff);
        let compiled = self.b.ins().icmp_imm_s(IntCC::NotEqual, entry, 0);
        let arity = (self.b.ins()).icmp_imm_s(IntCC::Equal, nparams, nargs as i64);
        self.check_or(compiled, slow);
        self.check_or(arity, slow);
        let tag = self.tag(callee);
        let entry = Callee::Indirect(entry);
        self.native_call(entry, nslots, Some((clo, tag)), base, slow, join);
    }

    /// Calls native `entry` on the frame at the caller's `base` (of `nslots` slots, with
    /// `header` as its closure when given) once the depth and stack limits allow (else to
    /// `slow`), then hands the result to `join`.
    #[allow(clippy::too_many_arguments)]
    fn native_call(
        &mut self,
        entry: Callee,
        nslots: ir::Value,
        header: Option<(ir::Value, ir::Value)>,
        base: Reg,
        slow: Block,
        join: Landing,
    ) {
        let slot = VALUE_SIZE as i64;
        let depth = self.depth;
        let depth_ok =
            self.b
                .ins()
                .icmp_imm_s(IntCC::UnsignedLessThan, depth, MAX_CALL_DEPTH as i64);
        let callee = self.b.ins().iadd_imm_s(self.frame, base.0 as i64 * slot);
        let bytes = self.b.ins().ishl_imm_u(nslots, 4);
        let top = self.b.ins().iadd(callee, bytes);
        self.check_or(depth_ok, slow);
        // The stack limit and the GC's scan limit in one compare: every scan limit ever set
        // is the top of a frame some tier accepted, so a callee whose top is at or below it
        // fits in the stack as the interpreter counts it (`top < len`). Only a call above
        // the limit (the first descent of a recursion) checks the stack's end, on a cold
        // branch, and raises the limit to the callee's top.
        let high = self.b.ins().load(I64, mem(), self.ctx, CTX_HIGH_WATER);
        let above = self.b.ins().icmp(IntCC::UnsignedGreaterThan, top, high);
        let raise = self.b.create_block();
        let raised = self.b.create_block();
        self.b.ins().brif(above, raise, &[], raised, &[]);
        self.b.set_cold_block(raise);
        self.switch_to(raise);
        // The interpreter's limit: one slot past the frame must exist too.
        let needed = self.b.ins().iadd_imm_s(top, slot);
        let end = self.b.ins().load(I64, mem(), self.ctx, CTX_STACK_END);
        let stack_ok = self.b.ins().icmp(IntCC::UnsignedLessThan, needed, end);
        self.check_or(stack_ok, slow);
        self.b.ins().store(mem(), top, self.ctx, CTX_HIGH_WATER);
        self.b.ins().jump(raised, &[]);
        self.switch_to(raised);
        if let Some((bits, tag)) = header {
            self.b.ins().store(mem(), bits, callee, -(slot as i32));
            let tag_at = -(slot as i32) + VALUE_TAG_OFFSET as i32;
            self.b.ins().store(mem(), tag, callee, tag_at);
        }
        let deeper = self.b.ins().iadd_imm_s(depth, 1);
        let from_entry = self.b.ins().iconst(I64, 0);
        let args = [callee, self.ctx, from_entry, deeper];
        let call = match entry {
            Callee::Direct(f) => self.b.ins().call(f, &args),
            Callee::Indirect(entry) => self.b.ins().call_indirect(self.sigs.entry, entry, &args),
        };
        // The status is the result's tag or `STATUS_ERROR`: where a tag is expected, one
        // compare checks both.
        let status = self.b.inst_results(call)[0];
        let result_off = -slot as i32;
        let failed = crate::STATUS_ERROR as i64;
        match join.expect {
            Some((known, mismatch)) => {
                let ok = self.b.ins().icmp_imm_s(IntCC::Equal, status, known as i64);
                let (returned, other) = (self.b.create_block(), self.b.create_block());
                self.b.ins().brif(ok, returned, &[], other, &[]);
                self.b.set_cold_block(other);
                self.switch_to(other);
                let is_error = self.b.ins().icmp_imm_s(IntCC::Equal, status, failed);
                let elsewise = self.continuation();
                self.b.ins().brif(is_error, self.error, &[], elsewise, &[]);
                self.switch_to(elsewise);
                let bits = self.b.ins().load(I64, mem(), callee, result_off);
                self.b.ins().jump(mismatch, &[bits.into(), status.into()]);
                self.switch_to(returned);
                let bits = self.b.ins().load(I64, mem(), callee, result_off);
                self.b.ins().jump(join.join, &[bits.into(), status.into()]);
            }
            None => {
                let is_error = self.b.ins().icmp_imm_s(IntCC::Equal, status, failed);
                let returned = self.b.create_block();
                self.b.ins().brif(is_error, self.error, &[], returned, &[]);
                self.switch_to(returned);
                let bits = self.b.ins().load(I64, mem(), callee, result_off);
                self.b.ins().jump(join.join, &[bits.into(), status.into()]);
            }
        }
    }
}
