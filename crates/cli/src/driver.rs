//! The pipeline shared by every subcommand: read → parse → check → compile → verify → run,
//! with diagnostics and runtime errors rendered for the terminal.

use std::io::{BufRead, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mochi_bytecode::Program;
use mochi_bytecode::compiler::{CompileOptions, compile};
use mochi_bytecode::verify::verify;
use mochi_runtime::builtins::Context;
use mochi_runtime::error::ErrorKind;
use mochi_runtime::heap::HeapConfig;
use mochi_runtime::interp::VmError;
use mochi_syntax::{Diagnostic, SourceFile};

/// A program that passed the front end and the verifier.
pub struct Loaded {
    pub file: SourceFile,
    /// Shared with the optimizing tier's compiling thread.
    pub program: Arc<Program>,
    /// Time spent parsing and checking.
    pub front_end: Duration,
}

/// Exit status of an internal error: a bug of this implementation, not of the program
/// (`EX_SOFTWARE` of sysexits.h).
pub const EXIT_INTERNAL: u8 = 70;

/// Why a program cannot run: diagnostics already rendered for stderr.
pub struct CompileFailure {
    pub rendered: String,
    /// The program is fine; this implementation failed it (the verifier rejected what the
    /// compiler produced).
    pub internal: bool,
}

impl CompileFailure {
    /// 2 for a program the front end rejects, [`EXIT_INTERNAL`] for a bug of ours.
    pub fn exit_code(&self) -> u8 {
        if self.internal { EXIT_INTERNAL } else { 2 }
    }
}

/// Reads a file, mapping I/O errors to a message.
/// Largest source file accepted (a limit, reported with exit status 1). Spans are 32-bit
/// byte offsets, and nothing real comes near this. `MOCHI_MAX_SOURCE_BYTES` lowers it.
pub const MAX_SOURCE_BYTES: u64 = 256 << 20;

/// Why a source file cannot be read: the message, and whether it is a limit (exit 1) or
/// a usage error (exit 2).
pub struct ReadError {
    pub message: String,
    pub limit: bool,
}

pub fn read_source(path: &str) -> Result<SourceFile, ReadError> {
    let usage = |message: String| ReadError {
        message,
        limit: false,
    };
    let limit = std::env::var("MOCHI_MAX_SOURCE_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MAX_SOURCE_BYTES)
        .min(MAX_SOURCE_BYTES);
    let size = std::fs::metadata(path)
        .map_err(|e| usage(format!("error: cannot read `{path}`: {e}")))?
        .len();
    if size > limit {
        return Err(ReadError {
            message: format!(
                "error: `{path}` is {size} bytes; programs are limited to {limit} bytes"
            ),
            limit: true,
        });
    }
    let bytes =
        std::fs::read(path).map_err(|e| usage(format!("error: cannot read `{path}`: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| usage(format!("error: `{path}` is not valid UTF-8")))?;
    Ok(SourceFile::new(path, text))
}

/// Parses and checks; returns every diagnostic rendered, or the checked program compiled.
pub fn load(file: SourceFile, options: CompileOptions) -> Result<Loaded, CompileFailure> {
    let start = Instant::now();
    let (ast, mut diags) = mochi_syntax::parse_on_this_thread(&file);
    let mut checked = None;
    if !diags.iter().any(is_error) {
        let (c, more) = mochi_types::check(&ast);
        diags.extend(more);
        checked = Some(c);
    }
    let front_end = start.elapsed();
    if diags.iter().any(is_error) {
        return Err(CompileFailure {
            rendered: render_diagnostics(&diags, &file),
            internal: false,
        });
    }
    let checked = checked.expect("checked when no parse errors");
    let program = match compile(&ast, &checked, options) {
        Ok(p) => p,
        Err(e) => {
            let d = Diagnostic::error("C001", e.span(), e.message());
            return Err(CompileFailure {
                rendered: render_diagnostics(&[d], &file),
                internal: false,
            });
        }
    };
    if let Err(e) = verify(&program) {
        return Err(CompileFailure {
            rendered: format!(
                "internal error: the bytecode verifier rejected the compiled program: {e}\n"
            ),
            internal: true,
        });
    }
    Ok(Loaded {
        file,
        program: Arc::new(program),
        front_end,
    })
}

fn is_error(d: &Diagnostic) -> bool {
    d.severity == mochi_syntax::Severity::Error
}

fn render_diagnostics(diags: &[Diagnostic], file: &SourceFile) -> String {
    let mut out = String::new();
    let errors = diags.iter().filter(|d| is_error(d)).count();
    for d in diags {
        out.push_str(&d.render(file));
        out.push('\n');
    }
    if errors > 0 {
        out.push_str(&format!(
            "error: could not compile `{}` due to {} previous error{}\n",
            file.name,
            errors,
            if errors == 1 { "" } else { "s" }
        ));
    }
    out
}

/// Heap settings from the environment and flags.
pub fn heap_config(max_heap: Option<usize>) -> HeapConfig {
    let mut config = HeapConfig::default();
    if std::env::var("MOCHI_GC_STRESS").is_ok_and(|v| v == "1") {
        config.stress = true;
    }
    if let Some(m) = max_heap {
        config.max_bytes = m;
    }
    config
}

/// A runtime context on the process's stdin/stdout.
pub fn context(config: HeapConfig) -> Context {
    let out: Box<dyn Write> = Box::new(std::io::BufWriter::with_capacity(
        1 << 16,
        std::io::stdout(),
    ));
    let input: Box<dyn BufRead> = Box::new(std::io::BufReader::new(std::io::stdin()));
    Context::new(config, out, input)
}

/// Renders a runtime error as `runtime error: MESSAGE` plus the source location.
pub fn render_runtime_error(loaded: &Loaded, e: &VmError) -> String {
    let offset = loaded
        .program
        .functions
        .get(e.func as usize)
        .and_then(|f| f.offsets.get(e.pc as usize))
        .copied()
        .unwrap_or(0);
    let (line, col) = loaded.file.line_col(offset);
    let head = match e.error.kind {
        ErrorKind::Panic => format!("panic: {}", e.error.message),
        ErrorKind::Internal => format!("internal error: {}", e.error.message),
        ErrorKind::Runtime | ErrorKind::Limit => format!("runtime error: {}", e.error.message),
    };
    let text = loaded.file.line_text(line);
    format!(
        "{head}\n --> {}:{line}:{col}\n  |\n{line:>3} | {text}\n",
        loaded.file.name
    )
}

/// The exit status for a run that stopped with `e`: 1, or [`EXIT_INTERNAL`] for a bug of ours.
/// The exit status of a run that ended without an error, given how the final flush of its
/// buffered output went: a failed flush (a full disk, a closed pipe) is the program's last
/// write failing like any other, `runtime error: write error: ...` and status 1, not its
/// output lost under status 0.
pub fn flushed_status(flushed: std::io::Result<()>) -> std::process::ExitCode {
    match flushed {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            stderrln!("runtime error: write error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}

pub fn runtime_exit_code(e: &VmError) -> u8 {
    if e.error.kind == ErrorKind::Internal {
        EXIT_INTERNAL
    } else {
        1
    }
}

/// Parses a size like `512M`, `4G`, `1000000`.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let (digits, mult) = match s.chars().last() {
        Some('k' | 'K') => (&s[..s.len() - 1], 1usize << 10),
        Some('m' | 'M') => (&s[..s.len() - 1], 1 << 20),
        Some('g' | 'G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("invalid size `{s}` (expected e.g. 512M or 2G)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mochi_runtime::error::RuntimeError;

    fn loaded(src: &str) -> Loaded {
        let file = SourceFile::new("t.mochi", src);
        match load(file, CompileOptions::default()) {
            Ok(l) => l,
            Err(f) => panic!("{}", f.rendered),
        }
    }

    #[test]
    fn internal_errors_say_so_and_exit_70() {
        let l = loaded("print(1)\n");
        let bug = VmError {
            error: RuntimeError::internal("a JIT helper panicked"),
            func: 0,
            pc: 0,
        };
        assert!(
            render_runtime_error(&l, &bug).starts_with("internal error: a JIT helper panicked\n")
        );
        assert_eq!(runtime_exit_code(&bug), EXIT_INTERNAL);
        let user = VmError {
            error: RuntimeError::division_by_zero(),
            func: 0,
            pc: 0,
        };
        assert!(render_runtime_error(&l, &user).starts_with("runtime error: division by zero\n"));
        assert_eq!(runtime_exit_code(&user), 1);
    }

    #[test]
    fn rejected_programs_exit_2() {
        let file = SourceFile::new("t.mochi", "print(nope)\n");
        let Err(f) = load(file, CompileOptions::default()) else {
            panic!("an undefined name must be rejected");
        };
        assert!(!f.internal);
        assert_eq!(f.exit_code(), 2);
    }
}
