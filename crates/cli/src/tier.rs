//! Choosing the execution tier for `--jit=off|on|always|opt`.

use std::io::Write;
use std::process::ExitCode;

use mochi_jit::{JitCode, JitOptions};
use mochi_runtime::interp::Vm;

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
pub fn prepare(vm: &Vm<'_>, flags: &RunFlags) -> Result<Option<JitCode>, ExitCode> {
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
        Ok(code) => {
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
