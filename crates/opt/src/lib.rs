//! Mochi's optimizing tier: verified bytecode → Cranelift IR → native code, one native function
//! per Mochi function, on the frame layout the interpreter and the copy-and-patch tier use.
//!
//! Input → output: a loaded program (`Vm`) → [`OptCode`], native functions
//! `extern "C" fn(frame, ctx) -> status` that run a Mochi function to its return (result in
//! `frame[-1]`, status 0) or stop at a runtime error (status 1, error in the context).
//!
//! How a function is compiled (`translate.rs`): every frame slot is cached in two SSA
//! variables, its payload and its tag, so values live in machine registers across ops and
//! Cranelift's optimizer removes tag tests it can prove redundant. Typed ops (`AddI64`,
//! `LtF64JumpIfFalse`, `IndexList`, ...) run inline behind tag guards; every other op, and every
//! guard that fails, *spills* the cached slots to the frame, runs the op through the
//! interpreter's own semantics (`Vm::exec_one`, via `helpers.rs`) and reloads them. So the
//! frame holds every live value whenever Rust code runs (the GC sees every heap reference;
//! nothing lives only in a register across a safepoint, by construction), the tiers cannot
//! disagree on any value or error, and no deoptimization machinery is needed: a failed guard
//! takes the slow path and the optimized code goes on. Mochi calls go through a helper that
//! runs the callee natively when it has optimized code and in the interpreter otherwise.
//!
//! Depends on `cnp` (W^X executable memory), `mochi-bytecode`, `mochi-runtime` and Cranelift;
//! never on the front end, the copy-and-patch tier or the CLI. `unsafe` lives in `helpers.rs`
//! and in [`OptCode::call`].

mod helpers;
mod translate;

use std::time::Instant;

use cnp::ExecPool;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use mochi_bytecode::FRAME_HEADER;
use mochi_runtime::error::RuntimeError;
use mochi_runtime::interp::{Vm, VmError, stack_overflow};
use mochi_runtime::value::{VALUE_SIZE, Value};

/// A compiled function: runs the Mochi function whose frame starts at `frame`.
pub(crate) type Entry = unsafe extern "C" fn(frame: *mut Value, ctx: *mut OptCtx) -> u64;

/// The state optimized code and its helpers share during one run. Optimized code reads and
/// writes the fields whose offsets are the `CTX_*` constants below.
#[repr(C)]
pub(crate) struct OptCtx {
    pub vm: *mut Vm<'static>,
    pub code: *const OptCode,
    /// Mochi calls active in optimized code (for the same depth limit as the interpreter).
    pub depth: u64,
    /// Address past which no frame may extend.
    pub stack_end: *mut u8,
    /// One past the highest slot a direct call's frame has used; helpers fold it into the
    /// VM's `high_water` (the GC's stack scan limit) before anything else.
    pub high_water: *mut u8,
    pub stack_base: *mut Value,
    /// The error a helper recorded before the code returned status 1.
    pub error: Option<VmError>,
}

pub(crate) const CTX_DEPTH: i32 = std::mem::offset_of!(OptCtx, depth) as i32;
pub(crate) const CTX_STACK_END: i32 = std::mem::offset_of!(OptCtx, stack_end) as i32;
pub(crate) const CTX_HIGH_WATER: i32 = std::mem::offset_of!(OptCtx, high_water) as i32;

impl OptCtx {
    /// The VM, with its GC scan limit brought up to date with direct calls' frames.
    ///
    /// # Safety
    /// `ctx` must be the live context of a run of optimized code (see [`OptCode::call`]).
    pub(crate) unsafe fn vm<'a>(ctx: *mut OptCtx) -> &'a mut Vm<'static> {
        // SAFETY: the caller's contract; nothing else reaches the VM while the code runs.
        unsafe {
            let vm = &mut *(*ctx).vm;
            let high = ((*ctx).high_water as usize - (*ctx).stack_base as usize) / VALUE_SIZE;
            vm.high_water = vm.high_water.max(high);
            vm
        }
    }
}

/// Numbers for `--jit-stats`.
#[derive(Clone, Copy, Debug, Default)]
pub struct OptStats {
    /// Functions compiled by Cranelift.
    pub functions: usize,
    /// Functions Cranelift could not compile (they run in the interpreter).
    pub fallbacks: usize,
    /// Bytecode ops compiled.
    pub ops: usize,
    pub code_bytes: usize,
    /// Translation plus Cranelift compilation, in nanoseconds.
    pub compile_ns: u128,
}

/// A program's optimized code.
pub struct OptCode {
    _pool: ExecPool,
    /// Native entry address by function; 0 when it has none. Compiled code reads it for
    /// direct calls, so it never moves (boxed).
    entries: Box<[usize]>,
    pub stats: OptStats,
    /// Failed speculations so far (each handed a function's rest to the interpreter).
    pub deopts: std::cell::Cell<u64>,
}

/// Why the optimizing tier cannot run here.
#[derive(Debug)]
pub enum OptError {
    /// Limit: Cranelift has no backend for this machine.
    Unsupported(String),
    /// Limit: executable memory could not be had.
    Memory(cnp::PatchError),
}

impl std::fmt::Display for OptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptError::Unsupported(why) => write!(f, "no optimizing backend here: {why}"),
            OptError::Memory(e) => write!(f, "{e}"),
        }
    }
}

fn host_isa() -> Result<OwnedTargetIsa, OptError> {
    let mut flags = settings::builder();
    flags
        .set("opt_level", "speed")
        .map_err(|e| OptError::Unsupported(e.to_string()))?;
    // Cranelift's IR verifier costs ~10% of compile time; debug builds (the tests) keep it.
    flags
        .set(
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        )
        .map_err(|e| OptError::Unsupported(e.to_string()))?;
    let builder = cranelift_native::builder().map_err(|e| OptError::Unsupported(e.to_string()))?;
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| OptError::Unsupported(e.to_string()))
}

/// Compiles every function of the VM's program. A function Cranelift rejects runs in the
/// interpreter (counted in [`OptStats::fallbacks`]); that is never an error.
pub fn compile(vm: &Vm<'_>) -> Result<OptCode, OptError> {
    let start = Instant::now();
    let isa = host_isa()?;
    let mut pool = ExecPool::new();
    let mut stats = OptStats::default();
    let mut entries = vec![0usize; vm.program.functions.len()].into_boxed_slice();
    let mut translator = translate::Translator::new(vm, &*isa, entries.as_ptr() as usize);
    for (fi, f) in vm.program.functions.iter().enumerate() {
        match translator.compile(fi as u32) {
            Some(code) => {
                let addr = pool.reserve(code.len()).map_err(OptError::Memory)?;
                pool.write(addr, &[&code]);
                entries[fi] = addr;
                stats.functions += 1;
                stats.ops += f.code.len();
                stats.code_bytes += code.len();
            }
            None => {
                stats.fallbacks += 1;
            }
        }
    }
    pool.publish().map_err(OptError::Memory)?;
    stats.compile_ns = start.elapsed().as_nanos();
    Ok(OptCode {
        _pool: pool,
        entries,
        stats,
        deopts: std::cell::Cell::new(0),
    })
}

impl OptCode {
    /// The native entry of function `f`, if it was compiled.
    pub(crate) fn entry(&self, f: u32) -> Option<Entry> {
        let addr = self.entries.get(f as usize).copied().filter(|&a| a != 0)?;
        // SAFETY: `addr` is the start of a published function Cranelift compiled with the
        // signature `Entry` (translate.rs builds it with exactly these parameters).
        Some(unsafe { std::mem::transmute::<usize, Entry>(addr) })
    }

    /// Runs function `func` with `args` from Rust (optimized code if it has any). Optimized
    /// code calls recurse on the native stack: run deep programs on a thread with a large one.
    pub fn call(&self, vm: &mut Vm<'_>, func: u32, args: &[Value]) -> Result<Value, VmError> {
        let Some(entry) = self.entry(func) else {
            return vm.call_function(func, args);
        };
        let nslots = vm.program.functions[func as usize].nslots as usize;
        let base = vm.high_water.max(FRAME_HEADER as usize);
        let top = base + nslots;
        if top + 1 >= vm.stack.len() {
            return Err(VmError {
                error: stack_overflow(),
                func,
                pc: 0,
            });
        }
        let slots = vm.stack.slots_mut(top);
        slots[base - 2] = Value::NONE;
        slots[base - 1] = Value::NONE;
        slots[base..base + args.len()].copy_from_slice(args);
        vm.high_water = vm.high_water.max(top);
        // SAFETY: `base` is inside the stack (checked above).
        let frame = unsafe { vm.stack.as_mut_ptr().add(base) };
        let stack_base = vm.stack.as_mut_ptr();
        // SAFETY: one past the end of the stack allocation.
        let stack_end = unsafe { stack_base.add(vm.stack.len()) }.cast::<u8>();
        // SAFETY: `high_water` is at most the stack length.
        let high_water = unsafe { stack_base.add(vm.high_water) }.cast::<u8>();
        let mut ctx = OptCtx {
            vm: (vm as *mut Vm<'_>).cast::<Vm<'static>>(),
            code: self,
            depth: 0,
            stack_end,
            high_water,
            stack_base,
            error: None,
        };
        // SAFETY: `entry` runs `func` on the frame set up above; nothing else touches `vm`
        // until it returns (the helpers reach it through `ctx`).
        let status = unsafe { entry(frame, &mut ctx) };
        // SAFETY: the run is over; `ctx` is live. (Brings the VM's GC scan limit up to date.)
        unsafe { OptCtx::vm(&mut ctx) };
        if status == 0 {
            // SAFETY: `frame - 1` is the header slot of the frame set up above.
            Ok(unsafe { *frame.sub(1) })
        } else {
            Err(ctx.error.take().unwrap_or(VmError {
                error: RuntimeError::new("internal error: optimized code failed without a reason"),
                func,
                pc: 0,
            }))
        }
    }
}
