//! Typed register bytecode: the op table, the program model, the compiler from the checked
//! AST, the verifier and the disassembler.
//!
//! Input: `mochi_syntax::ast::Program` + `mochi_types::Checked`. Output: [`Program`].
//! Both tiers (the interpreter in `mochi-runtime`, the JIT in `mochi-jit`) execute exactly
//! this, and the verifier runs on everything they consume. Must never depend on the runtime
//! or the JIT. Start reading at `ops.rs` (the op table), then `compiler/`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod compiler;
pub mod dis;
pub mod expect;
pub mod ops;
pub mod program;
pub mod verify;

pub use compiler::{CompileError, compile};
pub use ops::{FRAME_HEADER, Op, OpCode};
pub use program::{ClosureProto, ConstValue, Function, Program, StructType};
