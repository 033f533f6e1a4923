//! Mochi's front end, first half: source text → [`ast::Program`] plus diagnostics.
//!
//! Owns the lexer, the parser, the AST with spans and node ids, and the rustc-style
//! diagnostic renderer shared by every later pass. Must never depend on the checker,
//! bytecode, runtime or JIT crates. Parsing never panics and never stops at the first
//! error: it returns `(Program, Vec<Diagnostic>)`.
//!
//! Start reading at [`parse`], then `parser.rs`.
#![forbid(unsafe_code)]

pub mod ast;
pub mod diagnostic;
pub mod lexer;
pub mod parser;
pub mod sexpr;
pub mod span;
pub mod unicode;
pub mod visit;

pub use diagnostic::{Diagnostic, Severity, render_all};
pub use span::{SourceFile, Span};

/// Parses a whole file. The program is usable (possibly partial) even when diagnostics are
/// returned; callers must not run a program with errors.
pub fn parse(file: &SourceFile) -> (ast::Program, Vec<Diagnostic>) {
    parser::parse_program(file)
}

/// [`parse`] on the calling thread, without spawning the parser's own thread (which costs a
/// process start-up ~0.1-0.3 ms): for a caller whose thread has at least
/// [`parser::PARSER_STACK`] bytes of stack, such as the CLI's command thread.
pub fn parse_on_this_thread(file: &SourceFile) -> (ast::Program, Vec<Diagnostic>) {
    parser::parse_on_this_thread(file)
}

#[cfg(test)]
mod tests;
