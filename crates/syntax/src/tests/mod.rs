//! Unit tests of the lexer, parser and renderer (S-expression assertions via `sexpr`).

mod dataset;
mod fuzz;
mod lex;
mod parse;
mod render;

use crate::{SourceFile, parse, sexpr};

/// Parses `src` and returns (S-expression dump, diagnostic codes).
pub(crate) fn parse_dump(src: &str) -> (String, Vec<&'static str>) {
    let file = SourceFile::new("test.mochi", src);
    let (program, diags) = parse(&file);
    (
        sexpr::program(&program).trim_end().to_string(),
        diags.iter().map(|d| d.code).collect(),
    )
}

/// Parses `src`, asserts no diagnostics, returns the dump.
#[track_caller]
pub(crate) fn ok(src: &str) -> String {
    let file = SourceFile::new("test.mochi", src);
    let (program, diags) = parse(&file);
    if !diags.is_empty() {
        panic!(
            "unexpected diagnostics for {src:?}:\n{}",
            crate::render_all(&diags, &file)
        );
    }
    sexpr::program(&program).trim_end().to_string()
}

/// Dump of a single expression statement.
#[track_caller]
pub(crate) fn expr(src: &str) -> String {
    ok(src)
}

/// Diagnostic codes for `src`.
pub(crate) fn codes(src: &str) -> Vec<&'static str> {
    parse_dump(src).1
}
