//! Choosing the execution tier for `--jit=off|on|always|opt`.

use std::io::Write;
use std::process::ExitCode;

use mochi_jit::{JitCode, JitOptions};
use mochi_runtime::interp::Vm;
use mochi_syntax::span::SourceFile;

use crate::{JitMode, RunFlags, driver};

/// Native stack for optimized code, whose Mochi calls recurse natively: room for the 2^20
/// frames the interpreter allows (address space only; pages are committed as touched).
const OPT_STACK_BYTES: usize = 4 << 30;

/// `--jit=opt`: compiles every function with the optimizing tier and runs the program on a
/// thread with a stack deep enough for it.
pub fn run_optimized(loaded: &driver::Loaded, flags: &RunFlags) -> ExitCode {
    let run = || {
        let ctx = driver::context(driver::heap_config(flags.max_heap));
        let mut vm = Vm::new(&loaded.program, ctx);
        let code = match mochi_opt::compile(&vm) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        if flags.jit_stats {
            let s = code.stats;
            eprintln!("opt_functions: {}", s.functions);
            eprintln!("opt_fallbacks: {}", s.fallbacks);
            eprintln!("opt_ops: {}", s.ops);
            eprintln!("opt_code_bytes: {}", s.code_bytes);
            eprintln!("opt_compile_ns: {}", s.compile_ns);
            if s.ops > 0 {
                eprintln!("opt_ns_per_op: {:.1}", s.compile_ns as f64 / s.ops as f64);
            }
        }
        let result = code.call(&mut vm, 0, &[]);
        let _ = vm.ctx.out.flush();
        if flags.gc_stats {
            crate::print_gc_stats(&vm.ctx.heap);
        }
        if flags.jit_stats {
            eprintln!("opt_deopts: {}", code.deopts.get());
        }
        match result {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprint!("{}", driver::render_runtime_error(loaded, &e));
                ExitCode::from(1)
            }
        }
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("mochi".into())
            .stack_size(OPT_STACK_BYTES)
            .spawn_scoped(scope, run)
        {
            Ok(thread) => thread.join().unwrap_or_else(|_| {
                eprintln!("internal error: the optimized program panicked");
                ExitCode::from(70)
            }),
            Err(e) => {
                eprintln!("error: cannot start the program thread: {e}");
                ExitCode::from(1)
            }
        }
    })
}

/// Compiles the program for the JIT when the mode asks for it. `Ok(None)`: interpret.
/// Under `on`, a JIT failure falls back to the interpreter; under `always` it is an error:
/// an internal error (exit status 70) when it is a bug of the JIT, else a usage error (2).
pub fn prepare(
    vm: &Vm<'_>,
    flags: &RunFlags,
    file: &SourceFile,
) -> Result<Option<JitCode>, ExitCode> {
    if flags.jit == JitMode::Off || (flags.jit == JitMode::On && !mochi_jit::available()) {
        if flags.jit_stats {
            eprintln!("jit: off");
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
    };
    match mochi_jit::compile(vm, &options) {
        Ok(mut code) => {
            if flags.debug_info || flags.perf_jitdump {
                let start = std::time::Instant::now();
                debug_views(&mut code, vm, flags, file);
                if flags.jit_stats {
                    eprintln!("debug_views_ns: {}", start.elapsed().as_nanos());
                }
            }
            if flags.jit_stats {
                let s = code.stats;
                eprintln!("jit_functions: {}", s.functions);
                eprintln!("jit_ops: {}", s.ops);
                eprintln!("jit_code_bytes: {}", s.code_bytes);
                eprintln!("jit_stitch_ns: {}", s.stitch_ns);
                eprintln!("jit_publish_ns: {}", s.publish_ns);
                if s.ops > 0 {
                    eprintln!("stitch_ns_per_op: {:.1}", s.stitch_ns as f64 / s.ops as f64);
                    eprintln!(
                        "code_bytes_per_op: {:.1}",
                        s.code_bytes as f64 / s.ops as f64
                    );
                }
            }
            if flags.perf_map
                && let Err(e) = code.write_perf_map(vm)
            {
                eprintln!("warning: cannot write the perf map: {e}");
            }
            Ok(Some(code))
        }
        Err(e) if flags.jit == JitMode::On => {
            if flags.jit_stats {
                eprintln!("jit: fallback to the interpreter ({e})");
            }
            Ok(None)
        }
        Err(e) if e.is_internal() => {
            eprintln!("internal error: {e}");
            Err(ExitCode::from(crate::driver::EXIT_INTERNAL))
        }
        Err(e) => {
            eprintln!("error: {e}");
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
        eprintln!("warning: cannot build debug info: {e}");
    }
    if flags.perf_jitdump {
        let dir = std::env::var_os("MOCHI_JITDUMP_DIR")
            .map_or_else(std::env::temp_dir, std::path::PathBuf::from);
        if let Err(e) = code.write_jitdump(vm, &dir, &path, &line_of) {
            eprintln!("warning: cannot write the jitdump: {e}");
        }
    }
}
