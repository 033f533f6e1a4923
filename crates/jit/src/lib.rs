//! Mochi's copy-and-patch JIT tier: verified bytecode → stitched machine code, and running it.
//!
//! Every bytecode op with a fast path has a C stencil (`stencils/ops/<op_snake_name>.c`); the
//! others share `stencils/ops/generic.c`. Conventions are in `stencils/mochi.h`, the hole
//! declarations in `stencils/holes.h`, generated from the op table by `holes.rs`. `cnp-build`
//! compiles the stencils with clang into the committed tables in
//! `src/tables/`. At run time [`compile`] walks each function's ops and copies/patches their
//! stencils into one code blob (`lower.rs`); [`JitCode::call`] enters it through the shim
//! (`enter.rs`). Slow paths call the Rust helpers in `helpers.rs`, which run the
//! interpreter's own op semantics, so both tiers agree byte for byte.
//!
//! Depends on `cnp` (language-agnostic stitching), `mochi-bytecode` and `mochi-runtime`;
//! never on the front end or the CLI. `unsafe` lives in `enter.rs` and `helpers.rs`.

pub mod cross;
pub mod debug_descriptor;
pub mod debuginfo;
mod enter;
mod helpers;
pub mod holes;
pub mod listing;
pub mod lower;
mod roles;
pub mod tables;
mod variants;

use std::sync::atomic::AtomicU32;
use std::time::Instant;

use cnp::{ExecCode, ExecPool, Layout, Mark};
use mochi_runtime::interp::{Vm, VmError};
use mochi_runtime::value::Value;

pub use enter::{
    CTX_DEPTH_OFFSET, CTX_HIGH_WATER_OFFSET, CTX_MAX_DEPTH_OFFSET, CTX_STACK_END_OFFSET, Handoff,
    RETRY_BUDGET, TierUp,
};
pub use lower::{GENERIC_STENCIL, LowerError, OpMark, Stencils, stencil_name};

/// Numbers for `--jit-stats`.
#[derive(Clone, Copy, Debug, Default)]
pub struct JitStats {
    pub functions: usize,
    pub ops: usize,
    pub code_bytes: usize,
    /// Time spent lowering and linking (not publishing), in nanoseconds: wall time, and
    /// the thread's CPU time.
    pub stitch_ns: u128,
    pub stitch_cpu_ns: u64,
    /// Time of the permission flip (`mprotect`) that publishes the code.
    pub publish_ns: u128,
}

/// Options for [`compile`].
#[derive(Clone, Debug, Default)]
pub struct JitOptions {
    /// Functions (by name) left to the interpreter: exercises the mixed-tier paths.
    pub deny: Vec<String>,
    /// Most bytes of executable memory one program may take (None: no limit beyond what the
    /// OS grants). Exceeding it is a compile failure, like running out of memory.
    pub max_code_bytes: Option<usize>,
    /// Tier-up: with `Some`, each function counts its entries and loop iterations
    /// (`tier_count` stencils) and hands itself to the [`TierUp`] given to
    /// [`JitCode::call`] once its budget is spent.
    pub tier_threshold: Option<TierThreshold>,
}

/// A function's tier-up budget: `base + per_op * (its op count)` entries and loop
/// iterations. Compiling costs the higher tier time in proportion to the function's size,
/// so a big function (a long top-level program) must run longer before it pays off.
#[derive(Clone, Copy, Debug)]
pub struct TierThreshold {
    pub base: u32,
    pub per_op: u32,
}

impl TierThreshold {
    fn budget(&self, ops: usize) -> u32 {
        let scaled = (self.per_op as u64).saturating_mul(ops as u64);
        (self.base as u64)
            .saturating_add(scaled)
            .min(u32::MAX as u64) as u32
    }
}

/// A program's stitched code: the executable memory and what was stitched into it.
pub struct JitCode {
    /// `--debug-info` registrations; declared first so they go before the code's memory.
    debug: Option<DebugState>,
    code: ExecCode,
    _pool: ExecPool,
    stitched: Stitched,
}

impl std::ops::Deref for JitCode {
    type Target = Stitched;
    fn deref(&self) -> &Stitched {
        &self.stitched
    }
}

impl JitCode {
    /// Entry address of function `f`, if it has stitched code.
    pub fn entry(&self, f: u32) -> Option<usize> {
        self.stitched.entries.get(f as usize).copied().flatten()
    }

    fn shim_addr(&self) -> usize {
        self.stitched.shim
    }

    fn exit_addr(&self) -> usize {
        self.stitched.exit
    }

    /// The stitched code bytes (for listings).
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the code is published (readable) and lives as long as `self`.
        unsafe { std::slice::from_raw_parts(self.code.as_ptr(), self.code.len()) }
    }

    /// Start address of the code.
    pub fn addr(&self) -> usize {
        self.code.addr()
    }

    /// Runs function `func` with `args` (stitched code if it has any), handing hot
    /// functions to `tier` when the code counts (see [`JitOptions::tier_threshold`]).
    pub fn call(
        &self,
        vm: &mut Vm<'_>,
        func: u32,
        args: &[Value],
        tier: Option<&dyn TierUp>,
    ) -> Result<Value, VmError> {
        enter::call(vm, self, func, args, tier)
    }

    /// Runs function `func`, whose frame is set up at stack slot `base`, from op `pc` to
    /// its return, with `depth` Mochi calls active. `None`: it has no stitched code.
    pub fn resume(
        &self,
        vm: &mut Vm<'_>,
        func: u32,
        base: usize,
        pc: u32,
        depth: u64,
        tier: Option<&dyn TierUp>,
    ) -> Option<Result<Value, VmError>> {
        enter::resume(vm, self, func, base, pc, depth, tier)
    }

    /// Address of op `pc` of function `func` in the stitched code (after its tier count).
    fn op_address(&self, func: u32, pc: u32) -> Option<usize> {
        let marks = &self.stitched.op_marks;
        let i = marks
            .binary_search_by(|m| (m.func, m.pc).cmp(&(func, pc)))
            .ok()?;
        Some(self.addr() + marks[i].entry as usize)
    }

    /// The tier-up budget of function `func` (decremented by its `tier_count` stencils).
    pub(crate) fn budget(&self, func: u32) -> &AtomicU32 {
        &self.stitched.budgets[func as usize]
    }

    /// See [`Stitched::retry_budget`].
    pub(crate) fn retry_budget(&self) -> u32 {
        self.stitched.retry_budget
    }

    /// Writes `/tmp/perf-PID.map` entries naming each function's code.
    pub fn write_perf_map(&self, vm: &Vm<'_>) -> std::io::Result<()> {
        let mut map = cnp::PerfMap::open()?;
        let mut starts: Vec<(usize, usize)> = self
            .function_offsets
            .iter()
            .enumerate()
            .filter_map(|(f, o)| o.map(|o| (o, f)))
            .collect();
        starts.sort();
        for (i, &(offset, f)) in starts.iter().enumerate() {
            let end = starts
                .get(i + 1)
                .map_or(self.layout.code_len, |&(next, _)| next);
            let name = format!("mochi::{}", vm.program.functions[f].name);
            map.add(self.addr() + offset, end - offset, &name)?;
        }
        map.flush()
    }
}

/// What `--debug-info` keeps alive: the object GDB reads and the `mochi-bt` descriptor.
struct DebugState {
    _gdb: cnp::debug::gdb_jit::Registration,
    _descriptor: debug_descriptor::Descriptor,
}

impl JitCode {
    /// `--debug-info`: registers the code with GDB's JIT interface (symbols, line table,
    /// unwind info; see `debuginfo.rs`) and publishes the `mochi-bt` descriptor. `file` is
    /// the source path GDB shows; `line_of` maps a source offset to its 1-based line.
    pub fn enable_debug_info(
        &mut self,
        vm: &Vm<'_>,
        file: &str,
        line_of: &dyn Fn(u32) -> u32,
    ) -> Result<(), String> {
        let program = vm.program;
        let info = debuginfo::describe(program, self, file, line_of);
        let object = cnp::debug::elf::build(&info)?;
        let descriptor = debug_descriptor::publish(program, self, file, line_of);
        self.debug = Some(DebugState {
            _gdb: cnp::debug::gdb_jit::register(object),
            _descriptor: descriptor,
        });
        Ok(())
    }

    /// `--perf-jitdump`: writes `jit-<pid>.dump` in `dir` (one code-load record per function,
    /// with a line table per op) and returns its path.
    pub fn write_jitdump(
        &self,
        vm: &Vm<'_>,
        dir: &std::path::Path,
        file: &str,
        line_of: &dyn Fn(u32) -> u32,
    ) -> std::io::Result<std::path::PathBuf> {
        let program = vm.program;
        let path = cnp::debug::jitdump::JitDump::default_path(dir);
        let mut dump = cnp::debug::jitdump::JitDump::create(&path, self.arch)?;
        let base = self.addr() as u64;
        let rows = debuginfo::line_rows(program, self, line_of);
        let bytes = self.bytes();
        for (f, start, end) in debuginfo::function_ranges(self) {
            let lines: Vec<(u64, u32)> = rows
                .iter()
                .filter(|r| (start as u64..end as u64).contains(&r.offset))
                .map(|r| (base + r.offset, r.line))
                .collect();
            let name = format!("mochi::{}", program.functions[f as usize].name);
            dump.add_function(&name, &bytes[start..end], base + start as u64, file, &lines)?;
        }
        dump.flush()?;
        Ok(path)
    }
}

/// Why a program could not be JIT-compiled.
#[derive(Debug)]
pub enum JitError {
    /// This machine has no stencil table (the interpreter runs everything).
    Unsupported,
    Lower(LowerError),
}

impl std::fmt::Display for JitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JitError::Unsupported => write!(f, "the JIT has no stencils for this machine"),
            JitError::Lower(e) => write!(f, "JIT compilation failed: {e}"),
        }
    }
}

impl JitError {
    /// Whether the failure is a bug of this implementation (a stencil table that does not
    /// fit the lowering, a patch the stencil's bytes do not allow) rather than a limit of the
    /// machine or of the options (no stencils here, code or memory limits).
    pub fn is_internal(&self) -> bool {
        use cnp::PatchError as P;
        match self {
            JitError::Unsupported => false,
            JitError::Lower(LowerError::CodeLimit(_)) => false,
            JitError::Lower(LowerError::MissingStencil(_) | LowerError::UnknownHole { .. }) => true,
            JitError::Lower(LowerError::Patch(e)) => {
                !matches!(e, P::OutOfRange { .. } | P::CodeTooLarge | P::Memory { .. })
            }
        }
    }
}

impl From<LowerError> for JitError {
    fn from(e: LowerError) -> JitError {
        JitError::Lower(e)
    }
}

/// Whether stitched code can run on this machine.
pub fn available() -> bool {
    tables::host().is_some()
}

/// Stitches every function of the VM's program (except denied ones) into one code blob.
pub fn compile(vm: &Vm<'_>, options: &JitOptions) -> Result<JitCode, JitError> {
    let table = tables::host().ok_or(JitError::Unsupported)?;
    let stencils = Stencils::new(table)?;
    let mut pool = ExecPool::new();
    let (code, stitched) = compile_with(vm, options, &stencils, &mut pool)?;
    Ok(JitCode {
        debug: None,
        code,
        _pool: pool,
        stitched,
    })
}

/// The work of [`compile`], with the stencils and pool supplied (benchmarks reuse them).
pub fn compile_with(
    vm: &Vm<'_>,
    options: &JitOptions,
    stencils: &Stencils,
    pool: &mut ExecPool,
) -> Result<(ExecCode, Stitched), JitError> {
    let start = Instant::now();
    let cpu_start = cnp::cpu_time::thread_cpu_ns();
    // One budget per function, at a fixed address the `tier_count` stencils decrement.
    let budgets: Box<[AtomicU32]> = (vm.program.functions.iter())
        .map(|f| {
            let budget = options.tier_threshold.map(|t| t.budget(f.code.len()));
            AtomicU32::new(budget.unwrap_or(u32::MAX).max(1))
        })
        .collect();
    let counting = options.tier_threshold.map(|_| budgets.as_ptr() as u64);
    let stitched = stitch_functions(vm, stencils, counting, &|f| {
        !options.deny.contains(&vm.program.functions[f].name)
    })?;
    let StitchedFunctions {
        lowering,
        exit_offset,
        functions,
    } = stitched;
    let mut buf = lowering.buf;
    if let Some(limit) = options.max_code_bytes
        && buf.max_linked_len() > limit
    {
        return Err(LowerError::CodeLimit(limit).into());
    }
    let (code, layout) = buf.finish(pool).map_err(LowerError::from)?;
    let stitch_ns = start.elapsed().as_nanos();
    let stitch_cpu_ns = cnp::cpu_time::thread_cpu_ns().saturating_sub(cpu_start);
    let publish = Instant::now();
    pool.publish().map_err(LowerError::from)?;
    let publish_ns = publish.elapsed().as_nanos();
    let base = code.addr();
    let function_offsets: Vec<Option<usize>> = lowering
        .entries
        .iter()
        .map(|l| l.and_then(|l| buf.label_offset(l)))
        .collect();
    let entries = function_offsets
        .iter()
        .map(|o| o.map(|o| base + o))
        .collect();
    let code_bytes = layout.code_len;
    Ok((
        code,
        Stitched {
            arch: stencils.table.arch,
            layout,
            entries,
            shim: base,
            exit: base + exit_offset,
            marks: buf.marks().to_vec(),
            op_marks: lowering.op_marks,
            function_offsets,
            budgets,
            retry_budget: (options.tier_threshold)
                .map_or(u32::MAX, |t| t.base.clamp(1, RETRY_BUDGET)),
            stats: JitStats {
                functions,
                ops: lowering.ops,
                code_bytes,
                stitch_ns,
                stitch_cpu_ns,
                publish_ns,
            },
        },
    ))
}

/// The shims and every selected function, lowered into one code buffer (not yet linked).
pub(crate) struct StitchedFunctions<'s, 'v, 'p> {
    pub lowering: lower::Lowering<'s, 'v, 'p>,
    /// Offset of the exit shim (the entry shim is at offset 0).
    pub exit_offset: usize,
    /// Number of functions stitched.
    pub functions: usize,
}

/// Lowers the shims, then every function `include` selects, into a new code buffer: the
/// part of [`compile_with`] that does not depend on where the code will run.
/// `budgets`: the address of the functions' tier-up budgets (`u32` each) when the code
/// counts (see [`JitOptions::tier_threshold`]).
pub(crate) fn stitch_functions<'s, 'v, 'p>(
    vm: &'v Vm<'p>,
    stencils: &'s Stencils,
    budgets: Option<u64>,
    include: &dyn Fn(usize) -> bool,
) -> Result<StitchedFunctions<'s, 'v, 'p>, LowerError> {
    let program = vm.program;
    let mut buf = cnp::CodeBuffer::new(stencils.table.arch);
    // Sized from the op count (x86_64 averages 74-88 code bytes and up to 2 stencils per op,
    // cold copies of loops included), so the buffers do not reallocate while stitching.
    let ops: usize = program.functions.iter().map(|f| f.code.len()).sum();
    buf.reserve(ops * 96, ops * 2 + 16);
    let entries: Vec<Option<cnp::Label>> = (0..program.functions.len())
        .map(|f| include(f).then(|| buf.new_label()))
        .collect();
    let error = buf.new_label();
    // The shims first: entry (normal ABI), exit (status 0), error (status 1).
    let no_holes = |_| None;
    buf.emit(stencils.shim_entry, no_holes)?;
    let exit_offset = buf.len();
    buf.emit(stencils.shim_exit, no_holes)?;
    buf.bind_label(error);
    buf.emit(stencils.shim_error, no_holes)?;
    let mut lowering = lower::Lowering::new(stencils, vm, buf, entries, error);
    lowering.budgets = budgets;
    let mut functions = 0;
    for fi in 0..program.functions.len() {
        if lowering.entries[fi].is_some() {
            lowering.function(fi as u32)?;
            functions += 1;
        }
    }
    Ok(StitchedFunctions {
        lowering,
        exit_offset,
        functions,
    })
}

/// What was stitched: everything of a [`JitCode`] but its memory (see [`compile_with`]).
pub struct Stitched {
    /// The instruction set of the code.
    pub arch: cnp::Arch,
    /// Where code, data and veneers lie.
    pub layout: Layout,
    /// Absolute entry address of each function (None: runs in the interpreter).
    entries: Vec<Option<usize>>,
    shim: usize,
    exit: usize,
    /// Where each stencil starts (for listings).
    pub marks: Vec<Mark>,
    /// Where each bytecode op starts (for listings).
    pub op_marks: Vec<OpMark>,
    /// Offset of each function's entry (for listings and perf maps).
    pub function_offsets: Vec<Option<usize>>,
    /// Tier-up budget by function (unused unless the code counts).
    budgets: Box<[AtomicU32]>,
    /// The budget a function gets when the higher tier has no code for it yet
    /// ([`Handoff::Later`]): [`RETRY_BUDGET`], less if the threshold is lower (tests that
    /// force tier-up early should also enter early).
    retry_budget: u32,
    pub stats: JitStats,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bugs_are_internal() {
        assert!(!JitError::Unsupported.is_internal());
        assert!(!JitError::Lower(LowerError::CodeLimit(64)).is_internal());
        assert!(JitError::Lower(LowerError::MissingStencil("add".into())).is_internal());
        let patch = |e| JitError::Lower(LowerError::Patch(e));
        assert!(!patch(cnp::PatchError::CodeTooLarge).is_internal());
        assert!(!patch(cnp::PatchError::Memory { errno: 12 }).is_internal());
        assert!(patch(cnp::PatchError::HoleOutOfBounds { offset: 9, len: 4 }).is_internal());
    }
}
