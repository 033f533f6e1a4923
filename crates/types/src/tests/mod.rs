//! Unit tests of the checker.

mod ast_build;
mod dataset;
mod source;
