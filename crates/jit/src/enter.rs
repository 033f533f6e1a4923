//! Entering stitched code from Rust, and the context stencils and helpers share.
//!
//! The entry shim (a normal-ABI stencil) saves callee-saved registers and calls the first
//! stencil; every Mochi call inside stitched code is a tail jump (continuation style), so the
//! native stack stays one shim frame deep. A stencil leaves by `return`: 0 when the entered
//! function returned (its result in `frame[-1]`), 1 when a helper recorded an error.

use mochi_bytecode::FRAME_HEADER;
use mochi_runtime::error::RuntimeError;
use mochi_runtime::interp::{MAX_CALL_DEPTH, Vm, VmError};
use mochi_runtime::value::{TAG_RAW, VALUE_SIZE, Value};

use crate::JitCode;

/// A higher tier the stitched code hands hot functions to (see `tier_count.c`).
pub trait TierUp {
    /// Function `func`'s budget ran out at op `pc` (0: its entry, else a loop header), on
    /// the frame at stack slot `base` with `depth` Mochi calls active (this one included).
    fn tier_up(&self, vm: &mut Vm<'_>, func: u32, base: usize, pc: u32, depth: u64) -> Handoff;
}

/// What the higher tier did with a hot function.
pub enum Handoff {
    /// It ran the function from there to its return.
    Ran(Result<Value, VmError>),
    /// Its code is not ready yet: the function goes on stitched and asks again after
    /// [`RETRY_BUDGET`] more entries and loop iterations (fewer under a lower threshold).
    Later,
    /// It has no code for the function, which stays stitched for the rest of the run.
    Never,
}

/// Entries plus loop iterations between two asks for code the higher tier is still
/// compiling (a Rust call each: a few microseconds of stitched code in between).
pub const RETRY_BUDGET: u32 = 1024;

/// Shared with the stencils: the prefix up to `high_water` is `JitCtx` in `mochi.h`
/// (offsets asserted in `tests/layout.rs`); the rest is Rust-only.
#[repr(C)]
pub struct JitCtx<'t> {
    pub vm: *mut Vm<'static>,
    /// Mochi calls currently active in stitched code.
    pub depth: u64,
    pub max_depth: u64,
    /// Address past which no frame may extend.
    pub stack_end: *mut u8,
    /// One past the highest slot any stitched frame has used (GC scan limit).
    pub high_water: *mut u8,
    // ---- Rust-only ----
    pub jit: *const JitCode,
    pub stack_base: *mut Value,
    /// The error a helper recorded before the stitched code returned 1.
    pub error: Option<VmError>,
    /// Where hot functions go (`--jit=on`), if anywhere.
    pub tier: Option<&'t dyn TierUp>,
}

/// Byte offsets of the C-visible fields, for the layout test.
pub const CTX_DEPTH_OFFSET: usize = std::mem::offset_of!(JitCtx<'static>, depth);
pub const CTX_MAX_DEPTH_OFFSET: usize = std::mem::offset_of!(JitCtx<'static>, max_depth);
pub const CTX_STACK_END_OFFSET: usize = std::mem::offset_of!(JitCtx<'static>, stack_end);
pub const CTX_HIGH_WATER_OFFSET: usize = std::mem::offset_of!(JitCtx<'static>, high_water);

type Shim = unsafe extern "C" fn(*mut Value, *mut JitCtx<'_>, usize) -> i64;

/// Runs function `func` (which must have stitched code) with `args`, from Rust.
pub fn call(
    vm: &mut Vm<'_>,
    jit: &JitCode,
    func: u32,
    args: &[Value],
    tier: Option<&dyn TierUp>,
) -> Result<Value, VmError> {
    let Some(entry) = jit.entry(func) else {
        return vm.call_function(func, args);
    };
    let program = vm.program;
    let f = &program.functions[func as usize];
    let base = vm.high_water.max(FRAME_HEADER as usize);
    let top = base + f.nslots as usize;
    if top + 1 >= vm.stack.len() {
        return Err(VmError {
            error: mochi_runtime::interp::stack_overflow(),
            func,
            pc: 0,
        });
    }
    let slots = vm.stack.slots_mut(top);
    slots[base - 1] = Value::NONE;
    slots[base..base + args.len()].copy_from_slice(args);
    run_at(vm, jit, func, base, entry, 0, tier)
}

/// Runs function `func`, whose frame is set up at stack slot `base`, from op `pc` to its
/// return: how optimized code hands a function to stitched code (a call of a function it
/// has not compiled, or a deoptimization). `None`: no stitched code starts there.
pub fn resume(
    vm: &mut Vm<'_>,
    jit: &JitCode,
    func: u32,
    base: usize,
    pc: u32,
    depth: u64,
    tier: Option<&dyn TierUp>,
) -> Option<Result<Value, VmError>> {
    // A call (pc 0) enters at the function's entry, whose tier count it must pass.
    let start = match pc {
        0 => jit.entry(func)?,
        _ => jit.op_address(func, pc)?,
    };
    let top = base + vm.program.functions[func as usize].nslots as usize;
    if top + 1 >= vm.stack.len() {
        return Some(Err(VmError {
            error: mochi_runtime::interp::stack_overflow(),
            func,
            pc,
        }));
    }
    // The frame's return continuation belongs to whoever called it (stitched code may be
    // waiting there, below the optimized frames): this run returns to its own exit shim,
    // and the continuation is put back after. Only a continuation: when optimized code made
    // the call, the slot is a dead slot of its caller's window, and a heap pointer kept
    // here in Rust, unseen by collections during the run, could come back dangling (the
    // GC scans dead slots too).
    let saved = vm.stack.slots(base)[base - 2];
    let result = run_at(vm, jit, func, base, start, depth, tier);
    vm.stack.slots_mut(base)[base - 2] = if saved.tag == TAG_RAW {
        saved
    } else {
        Value::NONE
    };
    Some(result)
}

/// Enters stitched code at `start` on the frame at `base` (whose size `call`/`resume`
/// checked) and runs it until the frame returns.
fn run_at(
    vm: &mut Vm<'_>,
    jit: &JitCode,
    func: u32,
    base: usize,
    start: usize,
    depth: u64,
    tier: Option<&dyn TierUp>,
) -> Result<Value, VmError> {
    let top = base + vm.program.functions[func as usize].nslots as usize;
    let len = vm.stack.len();
    vm.stack.slots_mut(base)[base - 2] = Value::raw(jit.exit_addr() as u64);
    vm.high_water = vm.high_water.max(top);
    let stack_base = vm.stack.as_mut_ptr();
    // SAFETY: every offset below is inside the stack allocation (checked against `len`).
    let (frame, stack_end, high_water) = unsafe {
        (
            stack_base.add(base),
            stack_base.add(len - 1) as *mut u8,
            stack_base.add(vm.high_water) as *mut u8,
        )
    };
    let mut ctx = JitCtx {
        // The helpers reach the VM through this pointer while stitched code runs; nothing
        // else touches `vm` until the shim returns.
        vm: (vm as *mut Vm<'_>).cast::<Vm<'static>>(),
        depth,
        max_depth: MAX_CALL_DEPTH as u64,
        stack_end,
        high_water,
        jit,
        stack_base,
        error: None,
        tier,
    };
    // SAFETY: the shim is the `shim_entry` stencil of `jit`'s published (executable) code,
    // with the C signature `int64_t (Value *, JitCtx *, Cont)`; `start` is the first stencil
    // of an op of `func`, whose frame is set up with the exit continuation in its header and
    // holds every value the op and those after it read.
    let status = unsafe {
        let shim: Shim = std::mem::transmute::<usize, Shim>(jit.shim_addr());
        shim(frame, &mut ctx, start)
    };
    let high = (ctx.high_water as usize - stack_base as usize) / VALUE_SIZE;
    vm.high_water = vm.high_water.max(high);
    if status == 0 {
        // SAFETY: `frame - 1` is the header slot of the frame set up above.
        Ok(unsafe { *frame.sub(1) })
    } else {
        Err(ctx.error.take().unwrap_or(VmError {
            error: RuntimeError::new("internal error: stitched code failed without a reason"),
            func,
            pc: 0,
        }))
    }
}
