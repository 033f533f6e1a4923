//! Rust functions optimized code calls: the generic op (the interpreter's semantics), Mochi
//! calls and deoptimization. Optimized code stores its dirty slots to the frame before calling
//! any, so the frame is complete while they run, and reloads what they wrote afterwards.
//!
//! All take the running frame, the context and `loc` = `(function << 32) | op index`, and
//! return 0 (go on; for `deopt`: the function returned), 1 (error recorded in the context) or,
//! for `op`, 2 (branch taken).

use std::panic::{AssertUnwindSafe, catch_unwind};

use mochi_bytecode::Op;
use mochi_bytecode::ops::Reg;
use mochi_runtime::error::RuntimeError;
use mochi_runtime::heap::{Heap, StructDesc};
use mochi_runtime::interp::{Flow, MAX_CALL_DEPTH, Resolved, Vm, VmError, slow, stack_overflow};
use mochi_runtime::value::{VALUE_SIZE, Value};

use crate::OptCtx;

/// A bit of a deoptimization's `loc`: the failed speculation was a loop guard, checked once
/// before a loop for its whole run (a counter bound in `translate/ranges.rs`, a counted
/// list in `lists.rs`, a descriptor or field view in `fields.rs`).
pub(crate) const LOOP_GUARD_DEOPT: u64 = 1 << 31;

/// `loc`'s (function, op).
fn split(loc: u64) -> (u32, u32) {
    ((loc >> 32) as u32, (loc & !LOOP_GUARD_DEOPT) as u32)
}

fn record(ctx: *mut OptCtx<'_>, error: RuntimeError, loc: u64) -> u64 {
    let (func, pc) = split(loc);
    // SAFETY: `ctx` is the live context of the running code (every caller's contract).
    unsafe { (*ctx).error = Some(VmError { error, func, pc }) };
    1
}

/// Runs `body`, turning a Rust panic into a recorded internal error: unwinding into
/// Cranelift-compiled frames would abort the process.
fn guarded(ctx: *mut OptCtx<'_>, loc: u64, body: impl FnOnce() -> u64) -> u64 {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        record(
            ctx,
            RuntimeError::new("internal error in an optimized-code helper"),
            loc,
        )
    })
}

/// The generic op: runs op `loc` on `frame` with the interpreter's semantics.
pub(crate) extern "C" fn op(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: called from optimized code with its live context; the VM is reached only
        // through it while that code runs.
        let vm = unsafe { OptCtx::vm(ctx) };
        let (func, pc) = split(loc);
        let op = vm.program.functions[func as usize].code[pc as usize];
        // SAFETY: `frame` is the running frame of `func` on the VM stack, spilled in full.
        match unsafe { vm.exec_one(op, frame) } {
            Ok(Flow::Next) => 0,
            Ok(Flow::Taken) => 2,
            Err(e) => record(ctx, e, loc),
        }
    })
}

/// `a == b` for values given by their words (1 or 0); `Eq` and `Ne` call it when the words
/// alone do not decide (floats, two distinct heap objects). Equality never allocates or
/// fails, so the caller stores nothing to the frame for it.
pub(crate) extern "C" fn values_equal(
    ctx: *mut OptCtx<'_>,
    a_bits: u64,
    a_tag: u64,
    b_bits: u64,
    b_tag: u64,
) -> u64 {
    of_two_values(ctx, (a_bits, a_tag), (b_bits, b_tag), |heap, a, b| {
        u64::from(slow::equals(heap, a, b))
    })
}

/// `a < b` for values given by their words: 1 or 0, or 2 where the comparison is an error
/// (the caller deoptimizes, and the lower tier reports it). `Lt` calls it for operands of
/// no known number kind (strings, `any`); ordering never allocates, so the caller stores
/// nothing to the frame for it.
pub(crate) extern "C" fn values_less(
    ctx: *mut OptCtx<'_>,
    a_bits: u64,
    a_tag: u64,
    b_bits: u64,
    b_tag: u64,
) -> u64 {
    of_two_values(ctx, (a_bits, a_tag), (b_bits, b_tag), |heap, a, b| {
        slow::less(heap, a, b).map_or(2, u64::from)
    })
}

/// `a <= b`, as [`values_less`].
pub(crate) extern "C" fn values_less_eq(
    ctx: *mut OptCtx<'_>,
    a_bits: u64,
    a_tag: u64,
    b_bits: u64,
    b_tag: u64,
) -> u64 {
    of_two_values(ctx, (a_bits, a_tag), (b_bits, b_tag), |heap, a, b| {
        slow::less_eq(heap, a, b).map_or(2, u64::from)
    })
}

/// Where map `m` keeps the value of key `k` (both given by their words), for the inline
/// string-key paths of `translate/maps.rs`: the slot's address when present, 0 when absent,
/// 1 when the key is not a string of non-int text or `m` is not a map (the generic path
/// decides). It only reads, so the caller stores nothing to the frame for it.
pub(crate) extern "C" fn map_text_slot(
    ctx: *mut OptCtx<'_>,
    m_bits: u64,
    m_tag: u64,
    k_bits: u64,
    k_tag: u64,
) -> u64 {
    of_two_values(
        ctx,
        (m_bits, m_tag),
        (k_bits, k_tag),
        |heap, m, k| match heap.map_text_slot(m, k) {
            Some(Some(slot)) => slot as u64,
            Some(None) => 0,
            None => 1,
        },
    )
}

/// `f(heap, a, b)` of two values given by their words (the helpers above, which neither
/// allocate nor collect).
fn of_two_values(
    ctx: *mut OptCtx<'_>,
    (a_bits, a_tag): (u64, u64),
    (b_bits, b_tag): (u64, u64),
    f: impl FnOnce(&mut Heap, Value, Value) -> u64,
) -> u64 {
    // SAFETY: called from optimized code with its live context.
    let vm = unsafe { OptCtx::vm(ctx) };
    let a = Value {
        bits: a_bits,
        tag: a_tag,
    };
    let b = Value {
        bits: b_bits,
        tag: b_tag,
    };
    f(&mut vm.ctx.heap, a, b)
}

/// The running frame, for the direct helpers below.
struct Frame(*mut Value);

impl Frame {
    fn get(&self, r: Reg) -> Value {
        // SAFETY: `r` is a verified slot of the running frame, spilled before the call.
        unsafe { *self.0.add(r.0 as usize) }
    }

    fn set(&self, r: Reg, v: Value) {
        // SAFETY: as in `get`.
        unsafe { *self.0.add(r.0 as usize) = v }
    }
}

/// Runs op `loc` by `body`, one op kind's semantics (`None` when the op is of another
/// kind), then the GC safepoint the interpreter runs after it. The hottest ops without
/// inline code get such a helper: `Vm::exec_one`'s dispatch cost as much as the work of an
/// append (perf on list_append: 18% of the run in the generic path).
fn direct(
    frame: *mut Value,
    ctx: *mut OptCtx<'_>,
    loc: u64,
    body: impl FnOnce(&mut Vm<'static>, Op, &Frame) -> Option<Result<(), RuntimeError>>,
) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: as in `op`.
        let vm = unsafe { OptCtx::vm(ctx) };
        let (func, pc) = split(loc);
        let op = vm.program.functions[func as usize].code[pc as usize];
        let done = body(vm, op, &Frame(frame))
            .unwrap_or_else(|| Err(RuntimeError::new("internal error: wrong direct helper")));
        match done.and_then(|()| vm.safepoint()) {
            Ok(()) => 0,
            Err(e) => record(ctx, e, loc),
        }
    })
}

/// `dst = append(list, val)` (`Append`, `AppendOwned`).
pub(crate) extern "C" fn append(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    direct(frame, ctx, loc, |vm, op, f| match op {
        Op::Append { dst, list, val } => {
            Some(slow::append(&mut vm.ctx.heap, f.get(list), f.get(val)).map(|v| f.set(dst, v)))
        }
        Op::AppendOwned {
            dst,
            list,
            val,
            owner,
        } => {
            let (list, val, owner) = (f.get(list), f.get(val), f.get(owner));
            Some(slow::append_owned(&mut vm.ctx.heap, list, val, owner).map(|v| f.set(dst, v)))
        }
        _ => None,
    })
}

/// Before a loop that stores into the list of `SetIndexList` op `loc`'s `obj`: gives the list
/// a buffer of its own when it shares one (the copy the loop's first store would make), so
/// that the loop's stores need not check (`translate/lists.rs`). Allocates, but is no
/// safepoint: only `obj` need be in the frame.
pub(crate) extern "C" fn unshare_list(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: as in `op`.
        let vm = unsafe { OptCtx::vm(ctx) };
        let (func, pc) = split(loc);
        match vm.program.functions[func as usize].code[pc as usize] {
            Op::SetIndexList { obj, .. } => {
                vm.ctx.heap.as_list_mut(Frame(frame).get(obj));
                0
            }
            _ => record(
                ctx,
                RuntimeError::new("internal error: wrong direct helper"),
                loc,
            ),
        }
    })
}

/// A struct of descriptor `desc` (a `&'static StructDesc`, in place of a `loc`) whose
/// fields the optimized code stores right after; returns the object's address. Allocation
/// never collects, so the values the code caches need not be in the frame; it checks for
/// a safepoint itself (`safepoint`). Reached through the context's heap alone: decoding
/// the op through the VM (four dependent loads) cost binary_trees 4% of its time. Cannot
/// fail but by aborting (out of memory), so it has no status.
pub(crate) extern "C" fn alloc_struct(_frame: *mut Value, ctx: *mut OptCtx<'_>, desc: u64) -> u64 {
    // SAFETY: `ctx` is the live context; `desc` is one of the VM's descriptors, which live
    // as long as the program; the caller stores every field before anything else runs.
    unsafe {
        let desc = &*(desc as *const StructDesc);
        (*(*ctx).heap).alloc_struct_unfilled(desc).bits
    }
}

/// A cell (its value `none`, in place of a `loc` an unused word) that the optimized code
/// stores the captured value into right after. As `alloc_struct`: never collects, cannot
/// fail but by aborting.
pub(crate) extern "C" fn alloc_cell(_frame: *mut Value, ctx: *mut OptCtx<'_>, _: u64) -> u64 {
    // SAFETY: `ctx` is the live context; the caller stores the value before anything else
    // runs.
    unsafe { (*(*ctx).heap).alloc_cell(Value::NONE).bits }
}

/// A closure of function `func_captures >> 32` with `func_captures as u32` captures, each
/// `none`, that the optimized code stores the captured cells into right after. As
/// `alloc_struct`: never collects, cannot fail but by aborting.
pub(crate) extern "C" fn alloc_closure(
    _frame: *mut Value,
    ctx: *mut OptCtx<'_>,
    func_captures: u64,
) -> u64 {
    let (func, n) = ((func_captures >> 32) as u32, func_captures as u32 as usize);
    // SAFETY: `ctx` is the live context; the caller stores every capture before anything
    // else runs.
    unsafe {
        (*(*ctx).heap)
            .alloc_closure(func, vec![Value::NONE; n])
            .bits
    }
}

/// A list of `n` elements (in place of a `loc`) that the optimized code stores right after;
/// returns the object's address. As `alloc_struct`: never collects, cannot fail but by
/// aborting.
pub(crate) extern "C" fn alloc_list(_frame: *mut Value, ctx: *mut OptCtx<'_>, n: u64) -> u64 {
    // SAFETY: `ctx` is the live context; the caller stores every element before anything
    // else runs.
    unsafe { (*(*ctx).heap).alloc_list_unfilled(n as usize).bits }
}

/// A safepoint after op `loc`, which optimized code calls only when its inline check says
/// the heap should collect, with every live value stored to the frame.
pub(crate) extern "C" fn safepoint(_frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: as in `op`.
        let vm = unsafe { OptCtx::vm(ctx) };
        match vm.safepoint() {
            Ok(()) => 0,
            Err(e) => record(ctx, e, loc),
        }
    })
}

/// `dst = obj[idx]` on any collection.
pub(crate) extern "C" fn index(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    direct(frame, ctx, loc, |vm, op, f| match op {
        Op::Index { dst, obj, idx } => {
            Some(slow::index(&mut vm.ctx.heap, f.get(obj), f.get(idx)).map(|v| f.set(dst, v)))
        }
        Op::IndexMapOrZero {
            dst,
            obj,
            idx,
            zero,
        } => Some(
            slow::index_map_or_zero(&mut vm.ctx.heap, f.get(obj), f.get(idx), zero)
                .map(|v| f.set(dst, v)),
        ),
        _ => None,
    })
}

/// `dst = x in coll` on any collection.
pub(crate) extern "C" fn contains(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    direct(frame, ctx, loc, |vm, op, f| match op {
        Op::In { dst, x, coll } => Some(
            slow::contains(&vm.ctx.heap, f.get(coll), f.get(x)).map(|b| f.set(dst, Value::bool(b))),
        ),
        _ => None,
    })
}

/// `obj[idx] = src` on any collection.
pub(crate) extern "C" fn set_index(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    direct(frame, ctx, loc, |vm, op, f| match op {
        Op::SetIndex { obj, idx, src } => Some(slow::set_index(
            &mut vm.ctx.heap,
            f.get(obj),
            f.get(idx),
            f.get(src),
        )),
        _ => None,
    })
}

/// `dst = str(src)`.
pub(crate) extern "C" fn str_value(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    direct(frame, ctx, loc, |vm, op, f| match op {
        Op::Str { dst, src } => {
            Some(slow::str_value(&mut vm.ctx.heap, f.get(src)).map(|v| f.set(dst, v)))
        }
        _ => None,
    })
}

/// `dst = a + b` / `dst = a + str(src)` for a string `a` (`AddStr`, `AddStrOf`).
pub(crate) extern "C" fn add_str(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    direct(frame, ctx, loc, |vm, op, f| match op {
        Op::AddStr { dst, a, b } => {
            Some(slow::add_str(&mut vm.ctx.heap, f.get(a), f.get(b)).map(|v| f.set(dst, v)))
        }
        Op::AddStrOf { dst, a, src } => {
            Some(slow::add_str_of(&mut vm.ctx.heap, f.get(a), f.get(src)).map(|v| f.set(dst, v)))
        }
        _ => None,
    })
}

/// A failed speculation in op `loc`: the lower tier (else the interpreter) runs the function
/// on `frame` from that op (whose effects had not started) to its return, leaving the result
/// in `frame[-1]`. Returns what the function returns: the result's tag, or
/// [`crate::STATUS_ERROR`].
pub(crate) extern "C" fn deopt(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    match deopt_status(frame, ctx, loc) {
        // SAFETY: `frame - 1` is the running frame's header slot, which holds the result.
        0 => unsafe { (*frame.sub(1)).tag },
        _ => crate::STATUS_ERROR,
    }
}

fn deopt_status(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: as in `op`.
        let vm = unsafe { OptCtx::vm(ctx) };
        // SAFETY: `ctx.code` is the code being run; it outlives the run.
        let code = unsafe { &*(*ctx).code };
        let (func, pc) = split(loc);
        code.note_deopt(func);
        if loc & LOOP_GUARD_DEOPT != 0 {
            code.note_loop_guard_deopt(vm, func);
        }
        let base = (frame as usize - vm.stack.as_mut_ptr() as usize) / VALUE_SIZE;
        // SAFETY: as in `op`.
        let (baseline, depth) = unsafe { ((*ctx).baseline, (*ctx).depth) };
        let lower = baseline.and_then(|b| b.resume(vm, func, base, pc, depth));
        match lower.unwrap_or_else(|| vm.resume_at_depth(func, base, pc, depth)) {
            Ok(v) => {
                // SAFETY: `frame - 1` is the running frame's header slot.
                unsafe { *frame.sub(1) = v };
                0
            }
            Err(e) => {
                // SAFETY: as in `op`.
                unsafe { (*ctx).error = Some(e) };
                1
            }
        }
    })
}

/// A `Call` or `CallValue` op: runs the callee to its return and stores the result.
pub(crate) extern "C" fn call(frame: *mut Value, ctx: *mut OptCtx<'_>, loc: u64) -> u64 {
    guarded(ctx, loc, || {
        // SAFETY: as in `op`.
        let vm = unsafe { OptCtx::vm(ctx) };
        let (func, pc) = split(loc);
        let here = (frame as usize - vm.stack.as_mut_ptr() as usize) / VALUE_SIZE;
        let (dst, f, start, header) = match vm.program.functions[func as usize].code[pc as usize] {
            Op::Call {
                dst, func, base, ..
            } => (dst, func.0, here + base.0 as usize, Value::NONE),
            Op::CallValue {
                dst,
                callee,
                base,
                nargs,
            } => {
                let start = here + base.0 as usize;
                // SAFETY: `callee` is a verified slot of the running frame.
                let cv = unsafe { *frame.add(callee.0 as usize) };
                match vm.resolve_call(cv, start, nargs.0 as usize) {
                    Ok(Resolved::Enter(f, clo)) => (dst, f, start, clo),
                    Ok(Resolved::Done(v)) => {
                        // SAFETY: `dst` is a verified slot of the running frame.
                        unsafe { *frame.add(dst.0 as usize) = v };
                        return match vm.safepoint() {
                            Ok(()) => 0,
                            Err(e) => record(ctx, e, loc),
                        };
                    }
                    Err(e) => return record(ctx, e, loc),
                }
            }
            _ => return record(ctx, RuntimeError::new("internal error: not a call"), loc),
        };
        let top = start + vm.program.functions[f as usize].nslots as usize;
        // SAFETY: `ctx` is live (see above).
        let depth = unsafe { (*ctx).depth };
        if depth as usize >= MAX_CALL_DEPTH || top + 1 >= vm.stack.len() {
            return record(ctx, stack_overflow(), loc);
        }
        let slots = vm.stack.slots_mut(top);
        slots[start - 2] = Value::NONE;
        slots[start - 1] = header;
        vm.high_water = vm.high_water.max(top);
        // SAFETY: `ctx.code` is the code being run; it outlives the run.
        let entry = unsafe { (*(*ctx).code).entry(f) };
        match entry {
            Some(entry) => {
                // SAFETY: `start` is inside the stack (checked above); the callee's frame and
                // header are set up; `vm` is not used again until the callee returns.
                let status = unsafe { entry(vm.stack.as_mut_ptr().add(start), ctx, 0, depth + 1) };
                if status == crate::STATUS_ERROR {
                    return 1;
                }
            }
            None => {
                // SAFETY: as above; the VM is reached only through the context.
                let (vm, baseline) = unsafe { (&mut *(*ctx).vm, (*ctx).baseline) };
                let lower = baseline.and_then(|b| b.resume(vm, f, start, 0, depth + 1));
                match lower.unwrap_or_else(|| vm.resume_at_depth(f, start, 0, depth + 1)) {
                    Ok(v) => vm.stack.slots_mut(start)[start - 1] = v,
                    Err(e) => {
                        // SAFETY: as above.
                        unsafe { (*ctx).error = Some(e) };
                        return 1;
                    }
                }
            }
        }
        // SAFETY: the VM is reached only through the context; `start - 1` holds the result
        // and `dst` is a verified slot of the running frame.
        unsafe {
            let vm = &mut *(*ctx).vm;
            let result = vm.stack.slots(start)[start - 1];
            *frame.add(dst.0 as usize) = result;
        }
        0
    })
}
