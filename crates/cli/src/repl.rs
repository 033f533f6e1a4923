//! `mochi repl`: a line-editing prompt whose definitions persist.
//!
//! Each accepted entry is appended to a session source; the whole session is re-run on a
//! fresh VM and only the output beyond what earlier entries printed is shown. That keeps
//! the REPL exactly as correct as `mochi run` (same front end, same tier) at the cost of
//! re-running earlier entries, which is cheap at interactive sizes. A bare expression is
//! shown as if printed.

use std::io::{Cursor, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use mochi_bytecode::compiler::CompileOptions;
use mochi_runtime::builtins::Context;
use mochi_runtime::interp::Vm;
use mochi_syntax::SourceFile;
use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

use crate::driver;

/// A `Write` that appends into a shared buffer.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("buffer lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `source`, returning stdout, or the rendered error.
fn run_session(source: &str) -> Result<String, (String, String)> {
    let file = SourceFile::new("<repl>", source);
    let loaded =
        driver::load(file, CompileOptions::default()).map_err(|f| (String::new(), f.rendered))?;
    let out = Shared::default();
    let ctx = Context::new(
        driver::heap_config(None),
        Box::new(out.clone()),
        Box::new(Cursor::new(Vec::new())),
    );
    let mut vm = Vm::new(&loaded.program, ctx);
    let result = vm.run_main();
    let _ = vm.ctx.out.flush();
    drop(vm);
    let text = String::from_utf8_lossy(&out.0.lock().expect("buffer lock")).into_owned();
    match result {
        Ok(_) => Ok(text),
        Err(e) => Err((text, driver::render_runtime_error(&loaded, &e))),
    }
}

pub fn repl() -> ExitCode {
    let mut editor = match DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            stderrln!("error: cannot start the line editor: {e}");
            return ExitCode::from(1);
        }
    };
    stdoutln!("Mochi {} (type :quit to leave)", env!("CARGO_PKG_VERSION"));
    let mut session = String::new();
    let mut shown = 0usize;
    loop {
        let line = match editor.readline("mochi> ") {
            Ok(l) => l,
            Err(ReadlineError::Interrupted) => continue,
            Err(_) => break,
        };
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed == ":quit" || trimmed == ":q" {
            break;
        }
        let _ = editor.add_history_entry(&line);
        // A bare expression is shown as if printed; otherwise the entry is statements.
        let first_word = trimmed
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        let statement_like = matches!(
            first_word,
            "let"
                | "var"
                | "fun"
                | "type"
                | "if"
                | "for"
                | "while"
                | "return"
                | "print"
                | "test"
                | "expect"
        );
        let mut candidates = Vec::new();
        if !statement_like {
            candidates.push(format!("{session}print({trimmed})\n"));
        }
        candidates.push(format!("{session}{line}\n"));
        let mut last_err = String::new();
        for candidate in candidates {
            match run_session(&candidate) {
                Ok(out) => {
                    stdout!("{}", out.get(shown..).unwrap_or(""));
                    let _ = std::io::stdout().flush();
                    if candidate.ends_with(&format!("{line}\n")) {
                        // Statement entries persist; expression entries only print.
                        session = candidate;
                        shown = out.len();
                    }
                    last_err.clear();
                    break;
                }
                Err((out, err)) => {
                    if err.starts_with("runtime error") || err.starts_with("panic") {
                        stdout!("{}", out.get(shown..).unwrap_or(""));
                        last_err = err;
                        break;
                    }
                    last_err = err;
                }
            }
        }
        if !last_err.is_empty() {
            stderr!("{last_err}");
        }
    }
    ExitCode::SUCCESS
}
