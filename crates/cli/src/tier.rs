//! Choosing the execution tier for `--jit=off|on|always|opt`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use mochi_bytecode::Program;
use mochi_jit::{Handoff, JitCode, JitOptions, TierThreshold, TierUp};
use mochi_opt::{Baseline, Entered, OptCode, OptStats};
use mochi_runtime::interp::{Vm, VmError};
use mochi_runtime::value::Value;
use mochi_syntax::span::SourceFile;

use crate::{JitMode, RunFlags, driver};

/// Tier-up budget of `--jit=on`: a function runs `base + per_op * ops` entries plus loop
/// iterations stitched before the optimizing tier compiles it (see `ARCHITECTURE.md`,
/// tier-up). `MOCHI_TIER_THRESHOLD=N` makes it exactly `N` for every function (tests force
/// tier-up with small values); `0` or `off` disables tier-up.
const DEFAULT_TIER_THRESHOLD: TierThreshold = TierThreshold {
    base: 10_000,
    per_op: 10,
};

/// The tier-up threshold in effect (`None`: stitched code only).
fn tier_threshold() -> Option<TierThreshold> {
    let exactly = |base| TierThreshold { base, per_op: 0 };
    match std::env::var("MOCHI_TIER_THRESHOLD") {
        Ok(v) if v == "off" => None,
        Ok(v) => match v.parse::<u32>() {
            Ok(0) => None,
            Ok(n) => Some(exactly(n)),
            Err(_) => {
                stderrln!("warning: MOCHI_TIER_THRESHOLD={v} is not a count; using the default");
                Some(DEFAULT_TIER_THRESHOLD)
            }
        },
        Err(_) => Some(DEFAULT_TIER_THRESHOLD),
    }
}

/// Whether tier-ups compile on a thread of their own (`Some(wait)`, see
/// `OptCode::compile_in_background`): with `MOCHI_OPT_THREAD=on` (or `wait`, for tests), on
/// a machine with a second core to run it. Off by default: on the benchmarks it gained
/// nothing measurable here (ARCHITECTURE.md, 2026-12-08).
fn compile_in_background() -> Option<bool> {
    let wait = match std::env::var("MOCHI_OPT_THREAD").as_deref() {
        Ok("on") => false,
        Ok("wait") => true,
        _ => return None,
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores >= 2).then_some(wait)
}

/// The compiled tiers of a run: stitched code for every function and, under `--jit=on`,
/// the optimizing tier that hot functions move to. Each tier's crate knows nothing of the
/// other; this glue hands functions between them (`TierUp` upwards, `Baseline` back down).
pub struct Tiers {
    jit: JitCode,
    opt: Option<OptCode>,
}

impl Tiers {
    /// Runs function `func` with `args`.
    pub fn call(&self, vm: &mut Vm<'_>, func: u32, args: &[Value]) -> Result<Value, VmError> {
        let tier = self.opt.as_ref().map(|_| self as &dyn TierUp);
        self.jit.call(vm, func, args, tier)
    }

    /// `--jit-stats` after the run: what the optimizing tier did.
    pub fn print_run_stats(&self) {
        if let Some(opt) = &self.opt {
            print_opt_stats(&opt.stats());
        }
    }
}

impl TierUp for Tiers {
    fn tier_up(&self, vm: &mut Vm<'_>, func: u32, base: usize, pc: u32, depth: u64) -> Handoff {
        let Some(opt) = &self.opt else {
            return Handoff::Never;
        };
        match opt.enter(vm, func, base, pc, depth, Some(self)) {
            Entered::Ran(result) => Handoff::Ran(result),
            Entered::Later => Handoff::Later,
            Entered::Never => Handoff::Never,
        }
    }
}

impl Baseline for Tiers {
    fn resume(
        &self,
        vm: &mut Vm<'_>,
        func: u32,
        base: usize,
        pc: u32,
        depth: u64,
    ) -> Option<Result<Value, VmError>> {
        let tier = self.opt.as_ref().map(|_| self as &dyn TierUp);
        self.jit.resume(vm, func, base, pc, depth, tier)
    }
}

fn print_opt_stats(s: &OptStats) {
    stderrln!("opt_functions: {}", s.functions);
    stderrln!("opt_fallbacks: {}", s.fallbacks);
    stderrln!("opt_ops: {}", s.ops);
    stderrln!("opt_code_bytes: {}", s.code_bytes);
    stderrln!("opt_compile_ns: {}", s.compile_ns);
    stderrln!("opt_compile_cpu_ns: {}", s.compile_cpu_ns);
    if s.ops > 0 {
        stderrln!("opt_ns_per_op: {:.1}", s.compile_ns as f64 / s.ops as f64);
        stderrln!(
            "opt_cpu_ns_per_op: {:.1}",
            s.compile_cpu_ns as f64 / s.ops as f64
        );
    }
    stderrln!("opt_tier_ups: {}", s.tier_ups);
    stderrln!("opt_osr_entries: {}", s.osr_entries);
    stderrln!("opt_deopts: {}", s.deopts);
    stderrln!("opt_given_up: {}", s.given_up);
    stderrln!("opt_thread: {}", if s.background { "on" } else { "off" });
}

/// `--jit=opt`: compiles every function with the optimizing tier up front and runs the
/// program (on the command thread, whose stack is deep enough for native recursion).
pub fn run_optimized(loaded: &driver::Loaded, flags: &RunFlags) -> ExitCode {
    let ctx = driver::context(driver::heap_config(flags.max_heap));
    let mut vm = Vm::new(&loaded.program, ctx);
    let code = match mochi_opt::OptCode::new(&vm).and_then(|code| {
        if flags.perf_map {
            code.enable_perf_map();
        }
        code.compile_all(&vm)?;
        Ok(code)
    }) {
        Ok(code) => code,
        Err(e) => {
            stderrln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let result = code.call(&mut vm, 0, &[]);
    let flushed = vm.ctx.out.flush();
    if flags.gc_stats {
        crate::print_gc_stats(&vm.ctx.heap);
    }
    if flags.jit_stats {
        print_opt_stats(&code.stats());
    }
    match result {
        Ok(_) => driver::flushed_status(flushed),
        Err(e) => {
            stderr!("{}", driver::render_runtime_error(loaded, &e));
            ExitCode::from(1)
        }
    }
}

/// Compiles the program for the JIT when the mode asks for it. `Ok(None)`: interpret.
/// Under `on`, a JIT failure falls back to the interpreter; under `always` it is an error:
/// an internal error (exit status 70) when it is a bug of the JIT, else a usage error (2).
pub fn prepare(
    vm: &Vm<'_>,
    program: &Arc<Program>,
    flags: &RunFlags,
    file: &SourceFile,
) -> Result<Option<Tiers>, ExitCode> {
    if flags.jit == JitMode::Off || (flags.jit == JitMode::On && !mochi_jit::available()) {
        if flags.jit_stats {
            stderrln!("jit: off");
        }
        return Ok(None);
    }
    let options = JitOptions {
        deny: std::env::var("MOCHI_JIT_DENY")
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        max_code_bytes: std::env::var("MOCHI_JIT_CODE_LIMIT")
            .ok()
            .and_then(|v| v.parse().ok()),
        tier_threshold: (flags.jit == JitMode::On).then(tier_threshold).flatten(),
    };
    match mochi_jit::compile(vm, &options) {
        Ok(mut code) => {
            if flags.debug_info || flags.perf_jitdump {
                let start = std::time::Instant::now();
                debug_views(&mut code, vm, flags, file);
                if flags.jit_stats {
                    stderrln!("debug_views_ns: {}", start.elapsed().as_nanos());
                }
            }
            if flags.jit_stats {
                let s = code.stats;
                stderrln!("jit_functions: {}", s.functions);
                stderrln!("jit_ops: {}", s.ops);
                stderrln!("jit_code_bytes: {}", s.code_bytes);
                stderrln!("jit_stitch_ns: {}", s.stitch_ns);
                stderrln!("jit_stitch_cpu_ns: {}", s.stitch_cpu_ns);
                stderrln!("jit_publish_ns: {}", s.publish_ns);
                if s.ops > 0 {
                    stderrln!("stitch_ns_per_op: {:.1}", s.stitch_ns as f64 / s.ops as f64);
                    let cpu = s.stitch_cpu_ns as f64 / s.ops as f64;
                    stderrln!("stitch_cpu_ns_per_op: {cpu:.1}");
                    stderrln!(
                        "code_bytes_per_op: {:.1}",
                        s.code_bytes as f64 / s.ops as f64
                    );
                }
            }
            if flags.perf_map
                && let Err(e) = code.write_perf_map(vm)
            {
                stderrln!("warning: cannot write the perf map: {e}");
            }
            // Without an optimizing backend here, stitched code runs alone.
            let opt = match options.tier_threshold {
                Some(_) => mochi_opt::OptCode::new(vm).ok(),
                None => None,
            };
            if let (true, Some(opt)) = (flags.perf_map, &opt) {
                opt.enable_perf_map();
            }
            if let (Some(wait), Some(opt)) = (compile_in_background(), &opt) {
                opt.compile_in_background(program.clone(), wait);
            }
            if flags.jit_stats {
                stderrln!("tier_up: {}", if opt.is_some() { "on" } else { "off" });
            }
            Ok(Some(Tiers { jit: code, opt }))
        }
        Err(e) if flags.jit == JitMode::On => {
            if flags.jit_stats {
                stderrln!("jit: fallback to the interpreter ({e})");
            }
            Ok(None)
        }
        Err(e) if e.is_internal() => {
            stderrln!("internal error: {e}");
            Err(ExitCode::from(crate::driver::EXIT_INTERNAL))
        }
        Err(e) => {
            stderrln!("error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// `--debug-info` and `--perf-jitdump`: what GDB and perf learn about the stitched code.
/// Failures are warnings: the program still runs.
fn debug_views(code: &mut JitCode, vm: &Vm<'_>, flags: &RunFlags, file: &SourceFile) {
    // Debuggers match `break FILE:LINE` against the path's final components; an absolute
    // path also lets them show the source from any directory.
    let path = std::fs::canonicalize(&file.name)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| file.name.clone());
    let line_of = |offset: u32| file.line_col(offset).0;
    if flags.debug_info
        && let Err(e) = code.enable_debug_info(vm, &path, &line_of)
    {
        stderrln!("warning: cannot build debug info: {e}");
    }
    if flags.perf_jitdump {
        let dir = std::env::var_os("MOCHI_JITDUMP_DIR")
            .map_or_else(std::env::temp_dir, std::path::PathBuf::from);
        if let Err(e) = code.write_jitdump(vm, &dir, &path, &line_of) {
            stderrln!("warning: cannot write the jitdump: {e}");
        }
    }
}
