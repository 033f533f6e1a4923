//! Mochi's optimizing tier: verified bytecode → Cranelift IR → native code, one native function
//! per Mochi function, on the frame layout the interpreter and the copy-and-patch tier use.
//!
//! Input → output: a loaded program (`Vm`) → [`OptCode`], native functions
//! `extern "C" fn(frame, ctx, pc, depth) -> status` that run a Mochi function from its entry
//! (`pc` = 0) or from a loop header (on-stack replacement) to its return (result in
//! `frame[-1]`, status its tag) or stop at a runtime error (status [`STATUS_ERROR`], error in
//! the context).
//! `depth` is the number of Mochi calls active, this one included: optimized code keeps it
//! in a register and stores it to the context only before the helpers that read it.
//! Functions are compiled on demand ([`OptCode::enter`], tier-up from the lower tier) or all
//! up front ([`compile`]).
//!
//! How a function is compiled (`translate/`): every frame slot is cached in SSA variables
//! (payload, tag, and an `f64` where the tag is known to be a float), so values live in
//! machine registers across ops. Typed ops (`AddI64`, `LtF64JumpIfFalse`, `IndexList`, ...)
//! run inline and *speculate* on the tags the checker's types promise; where a speculation
//! fails, the function deoptimizes: its live values are stored to the frame and the lower
//! tier ([`Baseline`], else the interpreter) runs the rest of it from that op. Every other op
//! stores the dirty slots, runs through the interpreter's own semantics (`Vm::exec_one`, via
//! `helpers.rs`) and reloads what it wrote. So the frame holds every live value whenever
//! Rust code runs (the GC sees every heap reference; nothing lives only in a register across
//! a safepoint) and the tiers cannot disagree on any value or error. Calls of optimized
//! functions are direct native calls; small leaf functions are inlined.
//!
//! Depends on `cnp` (W^X executable memory), `mochi-bytecode`, `mochi-runtime` and Cranelift;
//! never on the front end, the copy-and-patch tier or the CLI. `unsafe` lives in `helpers.rs`
//! and in `OptCode::run_at`.

mod background;
mod helpers;
mod translate;

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Instant;

use cnp::ExecPool;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use mochi_bytecode::FRAME_HEADER;
use mochi_bytecode::program::Program;
use mochi_runtime::error::RuntimeError;
use mochi_runtime::heap::Heap;
use mochi_runtime::interp::{Vm, VmError, stack_overflow};
use mochi_runtime::value::{VALUE_SIZE, Value};

/// The status of a compiled function that stopped at a runtime error (any other status is
/// the tag of its result: a caller that expects an int checks both in one compare).
pub(crate) const STATUS_ERROR: u64 = u64::MAX;

/// A compiled function: runs the Mochi function whose frame starts at `frame`, from its
/// first op (`pc` = 0) or, by on-stack replacement, from loop header `pc`; `depth` is the
/// number of Mochi calls active, this one included.
pub(crate) type Entry =
    unsafe extern "C" fn(frame: *mut Value, ctx: *mut OptCtx<'_>, pc: u64, depth: u64) -> u64;

/// The tier below: runs functions that have no optimized code, and takes over a function
/// whose speculation failed (deoptimization). Without one, the interpreter does both.
pub trait Baseline {
    /// Runs function `func`, whose frame (header included) is set up at stack slot `base`,
    /// from op `pc` to its return. `depth` is the number of Mochi calls active, this one
    /// included. `None`: this tier cannot start at `pc` (the caller falls back).
    fn resume(
        &self,
        vm: &mut Vm<'_>,
        func: u32,
        base: usize,
        pc: u32,
        depth: u64,
    ) -> Option<Result<Value, VmError>>;
}

/// The state optimized code and its helpers share during one run. Optimized code reads and
/// writes the fields whose offsets are the `CTX_*` constants below.
#[repr(C)]
pub(crate) struct OptCtx<'a> {
    pub vm: *mut Vm<'static>,
    pub code: *const OptCode,
    /// Mochi calls active (for the same depth limit as the interpreter).
    pub depth: u64,
    /// Address past which no frame may extend.
    pub stack_end: *mut u8,
    /// One past the highest slot a direct call's frame has used; helpers fold it into the
    /// VM's `high_water` (the GC's stack scan limit) before anything else.
    pub high_water: *mut u8,
    pub stack_base: *mut Value,
    /// The VM's heap, whose allocation counters optimized code compares inline
    /// (`HEAP_SINCE_GC_OFFSET`, `HEAP_COLLECT_AT_OFFSET`) to decide when to stop at a
    /// safepoint.
    pub heap: *mut Heap,
    /// The error a helper recorded before the code returned status 1.
    pub error: Option<VmError>,
    pub baseline: Option<&'a dyn Baseline>,
}

pub(crate) const CTX_DEPTH: i32 = std::mem::offset_of!(OptCtx<'static>, depth) as i32;
pub(crate) const CTX_STACK_END: i32 = std::mem::offset_of!(OptCtx<'static>, stack_end) as i32;
pub(crate) const CTX_HIGH_WATER: i32 = std::mem::offset_of!(OptCtx<'static>, high_water) as i32;
pub(crate) const CTX_HEAP: i32 = std::mem::offset_of!(OptCtx<'static>, heap) as i32;

impl OptCtx<'_> {
    /// The VM, with its GC scan limit brought up to date with direct calls' frames.
    ///
    /// # Safety
    /// `ctx` must be the live context of a run of optimized code (see [`OptCode::call`]).
    pub(crate) unsafe fn vm<'v>(ctx: *mut OptCtx<'_>) -> &'v mut Vm<'static> {
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
    /// Functions Cranelift could not compile (they stay in the lower tier).
    pub fallbacks: usize,
    /// Bytecode ops compiled.
    pub ops: usize,
    pub code_bytes: usize,
    /// Translation plus Cranelift compilation, in nanoseconds: wall time, and the
    /// compiling thread's CPU time (what the compile-time table reports).
    pub compile_ns: u128,
    pub compile_cpu_ns: u64,
    /// Entries from the lower tier at a function's start (tier-ups) and at a loop header
    /// (on-stack replacement).
    pub tier_ups: u64,
    pub osr_entries: u64,
    /// Failed speculations (each handed a function's rest to the lower tier).
    pub deopts: u64,
    /// Whether functions were compiled on a thread of their own (see `background.rs`).
    pub background: bool,
    /// Functions that deoptimized [`DEOPT_LIMIT`] times and went back to the lower tier.
    pub given_up: usize,
}

/// After this many failed speculations a function's optimized code is dropped: it stays in
/// the lower tier (whose ops handle every type) for the rest of the run.
pub const DEOPT_LIMIT: u32 = 16;

/// Functions with more ops than this are not compiled (Cranelift's time grows faster than
/// linearly with function size; the lower tier runs them).
pub const MAX_FUNCTION_OPS: usize = 20_000;

/// How far a function has come in this tier.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    NotTried,
    /// Queued on the compiling thread.
    Compiling,
    Compiled,
    /// Too large, or Cranelift rejected it.
    Rejected,
    /// Deoptimized too often.
    GivenUp,
}

/// A program's optimized code, compiled function by function on demand.
pub struct OptCode {
    isa: OwnedTargetIsa,
    pool: RefCell<ExecPool>,
    /// Native entry address by function; 0 when it has none. Compiled code reads it for
    /// direct calls, so it never moves (boxed; `Cell<usize>` has `usize`'s layout).
    entries: Box<[Cell<usize>]>,
    /// `nparams << 32 | nslots` by function, read by closure calls.
    shapes: Box<[u64]>,
    status: Box<[Cell<Status>]>,
    function_deopts: Box<[Cell<u32>]>,
    /// By function: a loop guard failed (`helpers::LOOP_GUARD_DEOPT`), so it is compiled
    /// without loop guards.
    unguarded: Box<[Cell<bool>]>,
    stats: Cell<OptStats>,
    /// Name compiled functions in `/tmp/perf-PID.map` (`--perf-map`).
    perf_map: Cell<bool>,
    background: RefCell<Background>,
    /// See [`OptCode::compile_in_background`].
    wait_for_thread: Cell<bool>,
}

/// Where tier-ups are compiled.
enum Background {
    /// On the thread that asks.
    Off,
    /// On a thread of their own, started at the first request.
    Ready(Arc<Program>),
    Running(background::Worker),
}

/// What [`OptCode::enter`] did with a hot function.
pub enum Entered {
    /// Ran it from there to its return.
    Ran(Result<Value, VmError>),
    /// Nothing yet: the function goes on in the lower tier, which should ask again a
    /// little later (its code is being compiled, or it is a small leaf only its loops
    /// tier up for).
    Later,
    /// It has no optimized code (rejected, given up, or no memory for it) and stays in
    /// the lower tier.
    Never,
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

/// Appends `(function, address, bytes)` entries to this process's perf map.
fn write_perf_map(vm: &Vm<'_>, compiled: &[(u32, usize, usize)]) -> std::io::Result<()> {
    let mut map = cnp::PerfMap::open()?;
    for &(fi, addr, len) in compiled {
        let name = format!("mochi-opt::{}", vm.program.functions[fi as usize].name);
        map.add(addr, len, &name)?;
    }
    map.flush()
}

/// Compiles every function of the VM's program up front (`--jit=opt`). A function Cranelift
/// rejects runs in the interpreter (counted in [`OptStats::fallbacks`]); that is never an
/// error.
pub fn compile(vm: &Vm<'_>) -> Result<OptCode, OptError> {
    let code = OptCode::new(vm)?;
    code.compile_all(vm)?;
    Ok(code)
}

impl OptCode {
    /// The tier for `vm`'s program, nothing compiled yet.
    pub fn new(vm: &Vm<'_>) -> Result<OptCode, OptError> {
        let n = vm.program.functions.len();
        Ok(OptCode {
            isa: host_isa()?,
            pool: RefCell::new(ExecPool::new()),
            entries: (0..n).map(|_| Cell::new(0)).collect(),
            shapes: (vm.program.functions.iter())
                .map(|f| ((f.nparams as u64) << 32) | f.nslots as u64)
                .collect(),
            status: (0..n).map(|_| Cell::new(Status::NotTried)).collect(),
            function_deopts: (0..n).map(|_| Cell::new(0)).collect(),
            unguarded: (0..n).map(|_| Cell::new(false)).collect(),
            stats: Cell::new(OptStats::default()),
            perf_map: Cell::new(false),
            background: RefCell::new(Background::Off),
            wait_for_thread: Cell::new(false),
        })
    }

    /// From now on, [`OptCode::enter`] compiles on a thread of its own: the function it was
    /// asked for stays in the lower tier until its code is there. `program` is the program
    /// of the VM this code runs (the thread keeps it alive). `wait`: when the function asks
    /// again, it waits for its code rather than go on in the lower tier, so it enters at a
    /// known point (for tests).
    pub fn compile_in_background(&self, program: Arc<Program>, wait: bool) {
        *self.background.borrow_mut() = Background::Ready(program);
        self.wait_for_thread.set(wait);
        self.update_stats(|s| s.background = true);
    }

    /// From now on, names each function it compiles in `/tmp/perf-PID.map`
    /// (`mochi-opt::NAME`), so `perf report` can tell optimized code from stitched code.
    pub fn enable_perf_map(&self) {
        self.perf_map.set(true);
    }

    pub fn stats(&self) -> OptStats {
        self.stats.get()
    }

    fn update_stats(&self, change: impl FnOnce(&mut OptStats)) {
        let mut stats = self.stats.get();
        change(&mut stats);
        self.stats.set(stats);
    }

    /// Compiles every function not tried yet (see [`compile`]).
    pub fn compile_all(&self, vm: &Vm<'_>) -> Result<(), OptError> {
        let all: Vec<u32> = (0..vm.program.functions.len() as u32).collect();
        self.compile_functions(vm, &all)
    }

    /// Compiles the functions of `funcs` not tried yet, and publishes their code.
    fn compile_functions(&self, vm: &Vm<'_>, funcs: &[u32]) -> Result<(), OptError> {
        let start = Instant::now();
        let cpu_start = cnp::cpu_time::thread_cpu_ns();
        let view = translate::VmView::of(vm);
        let mut translator = translate::Translator::new(
            &view,
            &*self.isa,
            self.entries.as_ptr() as usize,
            self.shapes.as_ptr() as usize,
        );
        let compiled: Vec<(u32, Option<Vec<u8>>)> = (funcs.iter())
            .filter(|&&fi| self.status[fi as usize].get() == Status::NotTried)
            .map(|&fi| {
                let code = (!self.too_large(vm, fi))
                    .then(|| translator.compile(fi, !self.unguarded[fi as usize].get()))
                    .flatten();
                (fi, code)
            })
            .collect();
        let placed = self.install(vm, compiled);
        let ns = start.elapsed().as_nanos();
        let cpu_ns = cnp::cpu_time::thread_cpu_ns().saturating_sub(cpu_start);
        self.update_stats(|s| {
            s.compile_ns += ns;
            s.compile_cpu_ns += cpu_ns;
        });
        placed
    }

    /// Functions with more ops than [`MAX_FUNCTION_OPS`] are not compiled.
    fn too_large(&self, vm: &Vm<'_>, fi: u32) -> bool {
        vm.program.functions[fi as usize].code.len() > MAX_FUNCTION_OPS
    }

    /// Places compiled functions in executable memory and publishes them (`None`: a
    /// function Cranelift rejected; it stays in the lower tier, as does one there is no
    /// executable memory for).
    fn install(&self, vm: &Vm<'_>, compiled: Vec<(u32, Option<Vec<u8>>)>) -> Result<(), OptError> {
        let mut pool = self.pool.borrow_mut();
        let mut placed = Vec::new();
        let mut out_of_memory = None;
        for (fi, code) in compiled {
            let at = code.map(|code| pool.reserve(code.len()).map(|addr| (addr, code)));
            match at {
                Some(Ok((addr, code))) => {
                    pool.write(addr, &[&code]);
                    placed.push((fi, addr, code.len()));
                    self.status[fi as usize].set(Status::Compiled);
                    let ops = vm.program.functions[fi as usize].code.len();
                    self.update_stats(|s| {
                        s.functions += 1;
                        s.ops += ops;
                        s.code_bytes += code.len();
                    });
                }
                Some(Err(e)) => {
                    self.status[fi as usize].set(Status::Rejected);
                    out_of_memory = Some(e);
                }
                None => {
                    self.status[fi as usize].set(Status::Rejected);
                    self.update_stats(|s| s.fallbacks += 1);
                }
            }
        }
        pool.publish().map_err(OptError::Memory)?;
        // Entries become visible to direct calls only once their code is executable.
        if self.perf_map.get() {
            // A profiling aid: failing to write the map never stops the program.
            let _ = write_perf_map(vm, &placed);
        }
        for (fi, addr, _) in placed {
            self.entries[fi as usize].set(addr);
        }
        out_of_memory.map_or(Ok(()), |e| Err(OptError::Memory(e)))
    }

    /// Asks the compiling thread for function `func`. `false`: there is none, or it is
    /// gone; the caller compiles it.
    fn request(&self, vm: &Vm<'_>, func: u32) -> bool {
        let mut background = self.background.borrow_mut();
        if let Background::Ready(program) = &*background {
            let snapshot = translate::VmSnapshot::of(vm, program.clone());
            let entries = self.entries.as_ptr() as usize;
            let shapes = self.shapes.as_ptr() as usize;
            *background = match background::Worker::spawn(snapshot, entries, shapes) {
                Ok(worker) => Background::Running(worker),
                Err(_) => Background::Off,
            };
        }
        let Background::Running(worker) = &*background else {
            return false;
        };
        if self.too_large(vm, func) || !worker.request(func, !self.unguarded[func as usize].get()) {
            return false;
        }
        self.status[func as usize].set(Status::Compiling);
        true
    }

    /// Places what the compiling thread finished since last asked, after waiting for
    /// function `wait_for`'s code if it is being compiled.
    fn install_finished(&self, vm: &Vm<'_>, wait_for: Option<u32>) {
        let finished = match &*self.background.borrow() {
            Background::Running(worker) => match wait_for {
                Some(f) if self.status[f as usize].get() == Status::Compiling => {
                    worker.finished_with(f)
                }
                _ => worker.finished(),
            },
            _ => return,
        };
        if finished.is_empty() {
            return;
        }
        let mut compiled = Vec::with_capacity(finished.len());
        for done in finished {
            self.update_stats(|s| {
                s.compile_ns += done.ns;
                s.compile_cpu_ns += done.cpu_ns;
            });
            compiled.push((done.func, done.code));
        }
        // Out of executable memory: those functions stay in the lower tier.
        let _ = self.install(vm, compiled);
    }

    /// The native entry of function `f`, if it was compiled.
    pub(crate) fn entry(&self, f: u32) -> Option<Entry> {
        let addr = self
            .entries
            .get(f as usize)
            .map(Cell::get)
            .filter(|&a| a != 0)?;
        // SAFETY: `addr` is the start of a published function Cranelift compiled with the
        // signature `Entry` (translate.rs builds it with exactly these parameters).
        Some(unsafe { std::mem::transmute::<usize, Entry>(addr) })
    }

    /// Counts a failed speculation of function `f`; past [`DEOPT_LIMIT`] the function loses
    /// its optimized code (calls already running it finish there).
    pub(crate) fn note_deopt(&self, f: u32) {
        let n = self.function_deopts[f as usize].get() + 1;
        self.function_deopts[f as usize].set(n);
        self.update_stats(|s| s.deopts += 1);
        if n == DEOPT_LIMIT {
            self.entries[f as usize].set(0);
            self.status[f as usize].set(Status::GivenUp);
            self.update_stats(|s| s.given_up += 1);
        }
    }

    /// A loop guard of function `f` failed (the deoptimization itself is counted by
    /// `note_deopt`): compiles it again without loop guards, which would likely fail on
    /// every entry of that loop. Activations running the old code
    /// finish there.
    pub(crate) fn note_loop_guard_deopt(&self, vm: &Vm<'_>, f: u32) {
        let fi = f as usize;
        if self.unguarded[fi].replace(true) || self.status[fi].get() != Status::Compiled {
            return;
        }
        self.entries[fi].set(0);
        self.status[fi].set(Status::NotTried);
        // Out of executable memory: the function stays in the lower tier.
        let _ = self.compile_functions(vm, &[f]);
    }

    /// Tier-up: the lower tier found function `func` hot at op `pc` (0: its entry; else a
    /// loop header) on the frame at stack slot `base`. Compiles it if it never was (or
    /// asks the compiling thread to), then runs it there to its return.
    ///
    /// A small leaf function that optimized callers inline (`translate::inlinable`) is not
    /// compiled for its entries: its hot callers inline it once they tier up, and until
    /// then each call from the lower tier would pay for a handoff between tiers, which
    /// costs more than such a function's body (spectral_norm's `eval_a`: 10,283 handoffs).
    /// Its loops still tier up.
    pub fn enter(
        &self,
        vm: &mut Vm<'_>,
        func: u32,
        base: usize,
        pc: u32,
        depth: u64,
        baseline: Option<&dyn Baseline>,
    ) -> Entered {
        self.install_finished(vm, self.wait_for_thread.get().then_some(func));
        if self.status[func as usize].get() == Status::NotTried {
            if pc == 0 && translate::inlinable(vm.program, func) {
                return Entered::Later;
            }
            if !self.request(vm, func) && self.compile_functions(vm, &[func]).is_err() {
                // Out of executable memory is a limit, not an error: the lower tier goes on.
                return Entered::Never;
            }
        }
        match self.status[func as usize].get() {
            Status::Compiling => return Entered::Later,
            Status::Compiled => {}
            Status::NotTried | Status::Rejected | Status::GivenUp => return Entered::Never,
        }
        self.update_stats(|s| {
            if pc == 0 {
                s.tier_ups += 1
            } else {
                s.osr_entries += 1
            }
        });
        Entered::Ran(self.run_at(vm, func, base, pc, depth, baseline))
    }

    /// Runs function `func` with `args` from Rust (optimized code if it has any). Optimized
    /// code calls recurse on the native stack: run deep programs on a thread with a large one.
    pub fn call(&self, vm: &mut Vm<'_>, func: u32, args: &[Value]) -> Result<Value, VmError> {
        if self.entry(func).is_none() {
            return vm.call_function(func, args);
        }
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
        self.run_at(vm, func, base, 0, 0, None)
    }

    /// Runs compiled function `func` on the frame set up at stack slot `base`, from op `pc`.
    fn run_at(
        &self,
        vm: &mut Vm<'_>,
        func: u32,
        base: usize,
        pc: u32,
        depth: u64,
        baseline: Option<&dyn Baseline>,
    ) -> Result<Value, VmError> {
        let entry = self.entry(func).expect("run_at needs compiled code");
        let top = base + vm.program.functions[func as usize].nslots as usize;
        vm.high_water = vm.high_water.max(top);
        let stack_base = vm.stack.as_mut_ptr();
        // SAFETY: the caller set up the frame at `base` inside the stack; one past the end
        // of the stack allocation; `high_water` is at most the stack length.
        let (frame, stack_end, high_water) = unsafe {
            (
                stack_base.add(base),
                stack_base.add(vm.stack.len()).cast::<u8>(),
                stack_base.add(vm.high_water).cast::<u8>(),
            )
        };
        let vm_ptr = (vm as *mut Vm<'_>).cast::<Vm<'static>>();
        let mut ctx = OptCtx {
            vm: vm_ptr,
            code: self,
            depth,
            stack_end,
            high_water,
            stack_base,
            // SAFETY: `vm_ptr` comes from a live `&mut Vm`.
            heap: unsafe { &raw mut (*vm_ptr).ctx.heap },
            error: None,
            baseline,
        };
        // SAFETY: `entry` runs `func` on its frame set up by the caller, from `pc`, which
        // its dispatch accepts whatever it is; nothing else touches `vm` until it returns
        // (the helpers reach it through `ctx`).
        let status = unsafe { entry(frame, &mut ctx, pc as u64, depth) };
        // SAFETY: the run is over; `ctx` is live. (Brings the VM's GC scan limit up to date.)
        unsafe { OptCtx::vm(&mut ctx) };
        if status != STATUS_ERROR {
            // SAFETY: `frame - 1` is the header slot of the frame.
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
