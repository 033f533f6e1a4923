//! The checker proper. (Being written.)

use crate::Checked;
use mochi_syntax::Diagnostic;
use mochi_syntax::ast::Program;

pub(crate) fn check_program(_program: &Program) -> (Checked, Vec<Diagnostic>) {
    todo!("types helper")
}
