//! The `mochi` command: `run`, `check`, `dis`, `asm`, `test`, `repl`.
//!
//! Owns argument parsing, exit codes (0 ok, 1 runtime error or failed test, 2 compile
//! errors or bad usage, 70 internal error: a bug of this implementation) and the choice of
//! execution tier. All language work happens in the
//! library crates; start reading at `driver.rs`.
#![forbid(unsafe_code)]

/// `print!`, `println!`, `eprint!`, `eprintln!` that never panic: when stdout or stderr is
/// closed or full (`mochi dis f | head -1`, `2>/dev/full`) the text is lost instead of the
/// process aborting with a panic, and the exit status stays the command's own.
macro_rules! stdout {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}
macro_rules! stdoutln {
    () => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout());
    }};
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
macro_rules! stderr {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}
macro_rules! stderrln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

mod driver;
mod repl;
mod testcmd;
mod tier;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mochi_bytecode::compiler::CompileOptions;
use mochi_runtime::interp::Vm;

/// Mochi programs allocate many small short-lived objects (strings above all); mimalloc
/// halves the cost of that against glibc malloc (string_build benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Which execution tier runs the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JitMode {
    /// Interpreter only.
    Off,
    /// JIT where the host has a stencil table, the interpreter as fallback.
    On,
    /// JIT only: a function the JIT cannot compile is an error.
    Always,
    /// Every function compiled up front by the optimizing tier (Cranelift); a function it
    /// cannot compile runs in the interpreter. For testing and comparing tiers.
    Opt,
}

#[derive(Parser)]
#[command(
    name = "mochi",
    version,
    about = "Run Mochi programs (interpreter and copy-and-patch JIT)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct RunFlags {
    /// Execution tier.
    #[arg(long, value_enum, default_value = "on")]
    jit: JitMode,
    /// Print JIT statistics (functions, ops, code bytes, stitch time) on stderr.
    #[arg(long)]
    jit_stats: bool,
    /// Print GC statistics (collections, total and longest pause, heap bytes) on stderr
    /// when the program ends.
    #[arg(long)]
    gc_stats: bool,
    /// Write /tmp/perf-PID.map entries for JIT code.
    #[arg(long)]
    perf_map: bool,
    /// Write perf's jitdump (`jit-PID.dump` in $MOCHI_JITDUMP_DIR, default /tmp) for
    /// `perf inject --jit`: stitched code with Mochi source lines.
    #[arg(long)]
    perf_jitdump: bool,
    /// Register stitched code with GDB's JIT interface (symbols, Mochi source lines, unwind
    /// info) and publish the call-stack descriptor `mochi-bt` reads (tools/gdb/mochi.py).
    #[arg(long)]
    debug_info: bool,
    /// Heap limit (e.g. 512M, 4G).
    #[arg(long, value_parser = driver::parse_size)]
    max_heap: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a program (stdin is the program's stdin).
    Run {
        file: String,
        #[command(flatten)]
        flags: RunFlags,
    },
    /// Parse and type-check a program without running it.
    Check { file: String },
    /// Print the bytecode of a program.
    Dis { file: String },
    /// Print the JIT's stitched machine code of a program.
    Asm {
        file: String,
        /// Stitch with another target's stencil table instead of this machine's
        /// (aarch64-linux, riscv64-linux, x86_64-linux, aarch64-macos, x86_64-macos,
        /// x86_64-windows, or a full triple).
        #[arg(long)]
        target: Option<String>,
    },
    /// Run the `test` blocks of a program and report each.
    Test {
        file: String,
        #[command(flatten)]
        flags: RunFlags,
    },
    /// Interactive prompt; definitions persist between lines.
    Repl,
}

/// Native stack of the thread that runs a command. Printing, `str`, `json` and `==` walk
/// nested values recursively, so a 30,000-node linked list overflowed the 8 MiB main
/// thread (abort, exit 134) although the VM itself allows 2^20 Mochi frames. 1 GiB of
/// address space (pages are committed only as touched) covers about 10^6 levels. Optimized
/// code's Mochi calls recurse natively too: 4 GiB leaves room for the 2^20 frames the
/// interpreter allows.
const MAIN_STACK_BYTES: usize = 4 << 30;

fn main() -> ExitCode {
    mochi_runtime::allocator::keep_freed_memory();
    let cli = Cli::parse();
    match std::thread::Builder::new()
        .name("mochi-main".into())
        .stack_size(MAIN_STACK_BYTES)
        .spawn(move || dispatch(cli))
    {
        // A panic has already printed its message; exit as a panic would.
        Ok(thread) => thread.join().unwrap_or(ExitCode::from(101)),
        Err(_) => dispatch_fallback(),
    }
}

/// Without a thread (address space exhausted), runs nothing: the command cannot be honoured.
fn dispatch_fallback() -> ExitCode {
    stderrln!("error: cannot start the main thread");
    ExitCode::from(1)
}

fn dispatch(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Run { file, flags } => run(&file, &flags),
        Command::Check { file } => check(&file),
        Command::Dis { file } => dis(&file),
        Command::Asm { file, target } => match target {
            Some(target) => asm_target(&file, &target),
            None => asm(&file),
        },
        Command::Test { file, flags } => testcmd::run_tests(&file, &flags),
        Command::Repl => repl::repl(),
    }
}

/// Loads a file or prints why not; `Err` carries the exit code.
fn load(path: &str, options: CompileOptions) -> Result<driver::Loaded, ExitCode> {
    mochi_runtime::data::set_program_path(std::path::Path::new(path));
    let file = match driver::read_source(path) {
        Ok(f) => f,
        Err(e) => {
            stderrln!("{}", e.message);
            return Err(ExitCode::from(if e.limit { 1 } else { 2 }));
        }
    };
    driver::load(file, options).map_err(|f| {
        stderr!("{}", f.rendered);
        ExitCode::from(f.exit_code())
    })
}

fn run(path: &str, flags: &RunFlags) -> ExitCode {
    let loaded = match load(path, CompileOptions::default()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if flags.jit_stats {
        stderrln!("parse_check_ns: {}", loaded.front_end.as_nanos());
    }
    if flags.jit == JitMode::Opt {
        return tier::run_optimized(&loaded, flags);
    }
    let ctx = driver::context(driver::heap_config(flags.max_heap));
    let mut vm = Vm::new(&loaded.program, ctx);
    let jit = match tier::prepare(&vm, &loaded.program, flags, &loaded.file) {
        Ok(j) => j,
        Err(code) => return code,
    };
    let result = match &jit {
        Some(tiers) => tiers.call(&mut vm, 0, &[]),
        None => vm.run_main(),
    };
    let flushed = vm.ctx.out.flush();
    if let (true, Some(tiers)) = (flags.jit_stats, &jit) {
        tiers.print_run_stats();
    }
    if flags.gc_stats {
        print_gc_stats(&vm.ctx.heap);
    }
    match result {
        Ok(_) => driver::flushed_status(flushed),
        Err(e) => {
            stderr!("{}", driver::render_runtime_error(&loaded, &e));
            ExitCode::from(driver::runtime_exit_code(&e))
        }
    }
}

/// `--gc-stats`: one `key: value` line per figure on stderr, like `--jit-stats`.
pub(crate) fn print_gc_stats(heap: &mochi_runtime::Heap) {
    let s = heap.stats;
    stderrln!("gc_collections: {}", s.collections);
    stderrln!("gc_total_ns: {}", s.total_ns);
    stderrln!("gc_max_pause_ns: {}", s.max_pause_ns);
    stderrln!("gc_marked_objects: {}", s.marked_objects);
    stderrln!("gc_freed_objects: {}", s.freed_objects);
    stderrln!("gc_peak_live_bytes: {}", s.peak_live_bytes);
    stderrln!("gc_live_bytes: {}", heap.live_bytes());
    stderrln!("gc_allocated_bytes: {}", heap.bytes_allocated());
}

fn check(path: &str) -> ExitCode {
    match load(path, CompileOptions::default()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

fn dis(path: &str) -> ExitCode {
    let loaded = match load(path, CompileOptions::default()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let file = &loaded.file;
    let text = mochi_bytecode::dis::disassemble(&loaded.program, &|offset| {
        let (line, _) = file.line_col(offset);
        (line, file.line_text(line).to_string())
    });
    stdout!("{text}");
    ExitCode::SUCCESS
}

/// Where `mochi asm --target` links another target's code, and the placeholder addresses
/// its helper calls go to (a real image gets them from the process that maps it).
const CROSS_BASE: u64 = 0x4000_0000;
const CROSS_HELPERS: u64 = 0x10_0000;

fn asm_target(path: &str, target: &str) -> ExitCode {
    let Some(table) = mochi_jit::cross::table(target) else {
        stderrln!(
            "error: no stencil table for target `{target}` (known: {})",
            mochi_jit::cross::target_names().join(", ")
        );
        return ExitCode::from(2);
    };
    let loaded = match load(path, CompileOptions::default()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let ctx = driver::context(driver::heap_config(None));
    let vm = Vm::new(&loaded.program, ctx);
    let helper = |name: &str| {
        let i = mochi_jit::cross::HELPERS.iter().position(|h| *h == name)?;
        Some(CROSS_HELPERS + 0x100 * i as u64)
    };
    match mochi_jit::cross::stitch(&vm, table, CROSS_BASE, &helper, &|_| true) {
        Ok(image) => {
            stdoutln!(
                "; target {}, linked at {CROSS_BASE:#x}; helpers at placeholder addresses from \
                 {CROSS_HELPERS:#x} ({}); globals, struct descriptors and heap constants hold \
                 this process's addresses",
                image.target,
                mochi_jit::cross::HELPERS.join(", ")
            );
            let file = &loaded.file;
            let code = mochi_jit::listing::Code::image(&image);
            let text =
                mochi_jit::listing::render_code(&loaded.program, &code, &|o| file.line_col(o).0);
            stdout!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            stderrln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn asm(path: &str) -> ExitCode {
    let loaded = match load(path, CompileOptions::default()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let ctx = driver::context(driver::heap_config(None));
    let vm = Vm::new(&loaded.program, ctx);
    match mochi_jit::compile(&vm, &mochi_jit::JitOptions::default()) {
        Ok(code) => {
            let file = &loaded.file;
            let text = mochi_jit::listing::render(&loaded.program, &code, &|o| file.line_col(o).0);
            stdout!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            stderrln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
