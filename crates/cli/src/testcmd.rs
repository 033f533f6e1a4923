//! `mochi test FILE`: runs the program body without its `test` blocks, then each block as
//! its own function, reporting `ok` or the failure per block.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use mochi_bytecode::compiler::CompileOptions;
use mochi_runtime::interp::Vm;

use crate::{RunFlags, driver};

pub fn run_tests(path: &str, flags: &RunFlags) -> ExitCode {
    let loaded = match crate::load(
        path,
        CompileOptions {
            skip_tests_in_main: true,
        },
    ) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let ctx = driver::context(driver::heap_config(flags.max_heap));
    let mut vm = Vm::new(&loaded.program, ctx);
    let jit = match crate::tier::prepare(&vm, &loaded.program, flags, &loaded.file) {
        Ok(j) => j,
        Err(code) => return code,
    };
    let call = |vm: &mut Vm<'_>, func: u32| match &jit {
        Some(tiers) => tiers.call(vm, func, &[]),
        None => vm.call_function(func, &[]),
    };
    if let Err(e) = call(&mut vm, 0) {
        let _ = vm.ctx.out.flush();
        stderr!("{}", driver::render_runtime_error(&loaded, &e));
        return ExitCode::from(driver::runtime_exit_code(&e));
    }
    let _ = vm.ctx.out.flush();
    let (mut passed, mut failed) = (0, 0);
    let mut status = 1;
    stdoutln!("{}", loaded.file.name);
    for (name, func) in loaded.program.tests.clone() {
        let start = Instant::now();
        let result = call(&mut vm, func);
        let _ = vm.ctx.out.flush();
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(_) => {
                passed += 1;
                stdoutln!("   test {name} ... ok ({ms:.1}ms)");
            }
            Err(e) => {
                failed += 1;
                stdoutln!("   test {name} ... FAILED ({ms:.1}ms)");
                stderr!("{}", driver::render_runtime_error(&loaded, &e));
                status = status.max(driver::runtime_exit_code(&e));
            }
        }
    }
    stdoutln!("\n{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::from(status)
    } else {
        driver::flushed_status(std::io::stdout().flush())
    }
}
