//! Mochi's runtime: values, heap objects and GC, Go-compatible formatting, dynamic
//! arithmetic/comparison slow paths, casts, built-ins, runtime errors, the interpreter.
//!
//! Input → output: a bytecode program (mochi-bytecode) plus stdin → program output.
//! Must never depend on: the JIT, the CLI.
//!
//! Start reading at `value` (the 16-byte tagged `Value`), then `heap` (object layouts, GC),
//! then `ops`/`cast`/`format`/`builtins` (the semantics of LANGUAGE.md sections 7-13).

/// The allocator the `mochi` binary installs, so that the heap's tests see its layouts.
#[cfg(test)]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod aggregate;
pub mod allocator;
pub mod bench;
pub mod builtins;
pub mod case;
pub mod cast;
pub mod data;
pub mod error;
pub mod format;
pub mod gomath;
pub mod heap;
pub mod interp;
pub mod map;
pub mod natives;
pub mod ops;
mod printable;
pub mod query;
pub mod stack;
pub mod value;

pub use builtins::{Context, call_builtin};
pub use error::{ErrorKind, RtResult, RuntimeError};
pub use heap::{Heap, HeapConfig, ObjKind, StructDesc};
pub use value::Value;
