//! Rust helpers that stencils call through patched addresses (`_JIT_HELPER_<name>`).
//!
//! Each takes the context and a `loc` = `(function << 32) | op index` and runs the op's full
//! semantics through the interpreter's shared code (`Vm::exec_one`, `Vm::resolve_call`), so
//! both tiers compute the same values and report the same errors at the same op. Return
//! codes: 0 go on, 1 error recorded in the context, 2 branch taken; the call helpers return
//! an entry address instead of 2.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::Ordering;

use mochi_bytecode::Op;
use mochi_runtime::error::RuntimeError;
use mochi_runtime::interp::{Flow, Resolved, Vm, VmError, stack_overflow};
use mochi_runtime::value::{VALUE_SIZE, Value};

use crate::enter::{Handoff, JitCtx};

/// The address of every helper, by the name its hole uses (`_JIT_HELPER_<name>`).
pub fn address(name: &str) -> Option<u64> {
    let f: usize = match name {
        "op" => jit_op as *const () as usize,
        "call_value" => jit_call_value as *const () as usize,
        "call_sync" => jit_call_sync as *const () as usize,
        "overflow" => jit_overflow as *const () as usize,
        "tier_up" => jit_tier_up as *const () as usize,
        _ => return None,
    };
    Some(f as u64)
}

fn split(loc: u64) -> (u32, u32) {
    ((loc >> 32) as u32, loc as u32)
}

/// Gives a helper the VM, with the GC's stack scan limit brought up to date.
///
/// # Safety
/// `ctx` must be the live context of a stitched-code run (see `enter::call`).
unsafe fn vm_of<'a>(ctx: *mut JitCtx) -> (&'a mut JitCtx, &'a mut Vm<'static>) {
    // SAFETY: the caller passes the context `enter::call` created; its `vm` pointer is the
    // VM that nothing else accesses while stitched code runs.
    let (ctx, vm) = unsafe { (&mut *ctx, &mut *(*ctx).vm) };
    let high = (ctx.high_water as usize - ctx.stack_base as usize) / VALUE_SIZE;
    if high > vm.high_water {
        vm.high_water = high;
    }
    (ctx, vm)
}

fn record(ctx: &mut JitCtx, error: RuntimeError, loc: u64) -> u64 {
    let (func, pc) = split(loc);
    ctx.error = Some(VmError { error, func, pc });
    1
}

/// Runs `body`, turning a Rust panic into a recorded internal error (unwinding into
/// stitched code would abort the process).
fn guarded(ctx: *mut JitCtx, loc: u64, body: impl FnOnce() -> u64) -> u64 {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(_) => {
            // SAFETY: `ctx` is the live context; the panic left no borrow of it behind.
            let ctx = unsafe { &mut *ctx };
            record(ctx, RuntimeError::internal("a JIT helper panicked"), loc)
        }
    }
}

/// The generic slow path: the whole op in Rust.
extern "C" fn jit_op(ctx: *mut JitCtx, frame: *mut Value, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: called from stitched code with its live context.
        let (ctx, vm) = unsafe { vm_of(ctx) };
        let (func, pc) = split(loc);
        let op = vm.program.functions[func as usize].code[pc as usize];
        // SAFETY: `frame` is the running frame of `func`, on the VM stack.
        match unsafe { vm.exec_one(op, frame) } {
            Ok(Flow::Next) => 0,
            Ok(Flow::Taken) => 2,
            Err(e) => record(ctx, e, loc),
        }
    })
}

/// Slot index of `frame` on the VM stack.
fn frame_index(ctx: &JitCtx, frame: *mut Value) -> usize {
    (frame as usize - ctx.stack_base as usize) / VALUE_SIZE
}

/// Runs function `f`, called by op `loc` at `ctx.depth`, in the interpreter with its frame
/// at slot `start` (callee header set); stores the result in the header slot `start - 1`.
fn run_interpreted(ctx: &mut JitCtx, vm: &mut Vm<'static>, f: u32, start: usize, loc: u64) -> u64 {
    if ctx.depth >= ctx.max_depth {
        return record(ctx, stack_overflow(), loc);
    }
    match vm.resume_at_depth(f, start, 0, ctx.depth + 1) {
        Ok(v) => {
            vm.stack.slots_mut(start)[start - 1] = v;
            0
        }
        Err(e) => {
            ctx.error = Some(e);
            1
        }
    }
}

/// A call of a function value: returns the callee's entry (frame header written, depth
/// counted), or 0 when the result is already in the window's header slot, or 1.
extern "C" fn jit_call_value(ctx: *mut JitCtx, frame: *mut Value, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: called from stitched code with its live context.
        let (ctx, vm) = unsafe { vm_of(ctx) };
        let (func, pc) = split(loc);
        let Op::CallValue {
            callee,
            base,
            nargs,
            ..
        } = vm.program.functions[func as usize].code[pc as usize]
        else {
            return record(
                ctx,
                RuntimeError::internal("the call_value helper ran on an op that is not CallValue"),
                loc,
            );
        };
        let here = frame_index(ctx, frame);
        let start = here + base.0 as usize;
        let cv = vm.stack.slots(here + callee.0 as usize + 1)[here + callee.0 as usize];
        match vm.resolve_call(cv, start, nargs.0 as usize) {
            Ok(Resolved::Enter(f, clo)) => {
                vm.stack.slots_mut(start)[start - 1] = clo;
                // SAFETY: `ctx.jit` is the code being run.
                let jit = unsafe { &*ctx.jit };
                match jit.entry(f) {
                    Some(entry) => {
                        let top = start + vm.program.functions[f as usize].nslots as usize;
                        let top_addr = ctx.stack_base as usize + top * VALUE_SIZE;
                        if ctx.depth >= ctx.max_depth || top_addr >= ctx.stack_end as usize {
                            return record(ctx, stack_overflow(), loc);
                        }
                        ctx.depth += 1;
                        if top_addr > ctx.high_water as usize {
                            ctx.high_water = top_addr as *mut u8;
                        }
                        entry as u64
                    }
                    None => run_interpreted(ctx, vm, f, start, loc),
                }
            }
            Ok(Resolved::Done(v)) => {
                vm.stack.slots_mut(start)[start - 1] = v;
                match vm.safepoint() {
                    Ok(()) => 0,
                    Err(e) => record(ctx, e, loc),
                }
            }
            Err(e) => record(ctx, e, loc),
        }
    })
}

/// A direct call of a function without stitched code: run it in the interpreter.
extern "C" fn jit_call_sync(ctx: *mut JitCtx, frame: *mut Value, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: called from stitched code with its live context.
        let (ctx, vm) = unsafe { vm_of(ctx) };
        let (func, pc) = split(loc);
        let Op::Call { func: f, base, .. } = vm.program.functions[func as usize].code[pc as usize]
        else {
            return record(
                ctx,
                RuntimeError::internal("the call_sync helper ran on an op that is not Call"),
                loc,
            );
        };
        let start = frame_index(ctx, frame) + base.0 as usize;
        let top = start + vm.program.functions[f.0 as usize].nslots as usize;
        if top + 1 >= vm.stack.len() {
            return record(ctx, stack_overflow(), loc);
        }
        vm.stack.slots_mut(start)[start - 1] = Value::NONE;
        run_interpreted(ctx, vm, f.0, start, loc)
    })
}

/// Records a stack overflow detected by a call stencil.
extern "C" fn jit_overflow(ctx: *mut JitCtx, loc: u64) -> u64 {
    // SAFETY: called from stitched code with its live context.
    let ctx = unsafe { &mut *ctx };
    record(ctx, stack_overflow(), loc)
}

/// A function's tier-up budget ran out at `loc` (its entry or a loop header; see
/// `tier_count.c`): 2 when the higher tier ran the function to its return (result in
/// `frame[-1]`), 1 on an error, 0 to go on in stitched code.
extern "C" fn jit_tier_up(ctx: *mut JitCtx, frame: *mut Value, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: called from stitched code with its live context.
        let (ctx, vm) = unsafe { vm_of(ctx) };
        let (func, pc) = split(loc);
        // SAFETY: `ctx.jit` is the code being run.
        let (budget, retry) = unsafe { ((*ctx.jit).budget(func), (*ctx.jit).retry_budget()) };
        let base = frame_index(ctx, frame);
        // From now on every entry and loop header of the function goes to its optimized
        // code. Set before the optimized run, which may deoptimize and go on in this
        // function's stitched code: its next loop header must re-enter, not find the budget
        // spent (a decrement from 0 wraps to 4 billion).
        budget.store(1, Ordering::Relaxed);
        let handoff = (ctx.tier).map_or(Handoff::Never, |tier| {
            tier.tier_up(vm, func, base, pc, ctx.depth)
        });
        match handoff {
            Handoff::Ran(Ok(v)) => {
                vm.stack.slots_mut(base)[base - 1] = v;
                2
            }
            Handoff::Ran(Err(e)) => {
                ctx.error = Some(e);
                1
            }
            Handoff::Later => {
                budget.store(retry, Ordering::Relaxed);
                0
            }
            Handoff::Never => {
                budget.store(u32::MAX, Ordering::Relaxed);
                0
            }
        }
    })
}
