//! Mochi's runtime: values, heap and GC, built-ins, formatting, the interpreter.
//! (Being written.)

pub mod heap;
pub mod value;
