//! The parser. (Being written.)

use crate::ast::Program;
use crate::{Diagnostic, SourceFile};

pub(crate) fn parse_program(_file: &SourceFile) -> (Program, Vec<Diagnostic>) {
    todo!("syntax helper")
}
