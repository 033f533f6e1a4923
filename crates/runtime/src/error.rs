//! `RuntimeError`: the one error type of the runtime (LANGUAGE.md section 13).
//!
//! The runtime only knows the message; the interpreter adds the source line. Constructors
//! are `#[cold]` so the fast paths that call them stay small.

use std::fmt;

/// What kind of failure stopped the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A user error detected at run time (`division by zero`, a bad cast, ...):
    /// print `runtime error: MESSAGE` on stderr, exit status 1.
    Runtime,
    /// `panic(msg)` was called: print `msg` alone on stderr, exit status 1.
    Panic,
    /// A resource limit (`out of memory`): reported like `Runtime`.
    Limit,
    /// A bug of this implementation (a JIT helper panicked, an op reached the wrong
    /// executor): `internal error: MESSAGE` on stderr, exit status 70.
    Internal,
}

/// A runtime error: message text exactly as LANGUAGE.md section 13 spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeError {
    pub kind: ErrorKind,
    pub message: String,
}

pub type RtResult<T> = Result<T, RuntimeError>;

impl RuntimeError {
    #[cold]
    #[inline(never)]
    pub fn new(message: impl Into<String>) -> RuntimeError {
        RuntimeError {
            kind: ErrorKind::Runtime,
            message: message.into(),
        }
    }
    #[cold]
    #[inline(never)]
    pub fn panic(message: impl Into<String>) -> RuntimeError {
        RuntimeError {
            kind: ErrorKind::Panic,
            message: message.into(),
        }
    }
    /// A bug of ours, never the program's fault.
    #[cold]
    #[inline(never)]
    pub fn internal(message: impl Into<String>) -> RuntimeError {
        RuntimeError {
            kind: ErrorKind::Internal,
            message: message.into(),
        }
    }
    #[cold]
    #[inline(never)]
    pub fn out_of_memory() -> RuntimeError {
        RuntimeError {
            kind: ErrorKind::Limit,
            message: "out of memory".into(),
        }
    }
    #[cold]
    #[inline(never)]
    pub fn division_by_zero() -> RuntimeError {
        RuntimeError::new("division by zero")
    }
    #[cold]
    #[inline(never)]
    pub fn index_out_of_range() -> RuntimeError {
        RuntimeError::new("index out of range")
    }
    #[cold]
    #[inline(never)]
    pub fn invalid_index() -> RuntimeError {
        RuntimeError::new("invalid index")
    }
    #[cold]
    #[inline(never)]
    pub fn invalid_index_target() -> RuntimeError {
        RuntimeError::new("invalid index target")
    }
    /// `cannot cast "TEXT" to int` (the text is quoted as Go's `%q` would).
    #[cold]
    #[inline(never)]
    pub fn cannot_cast_str(text: &str, target: &str) -> RuntimeError {
        let mut q = String::new();
        crate::format::quote_go(text, &mut q);
        RuntimeError::new(format!("cannot cast {q} to {target}"))
    }
    /// `cannot cast KIND to TARGET` for a non-string source.
    #[cold]
    #[inline(never)]
    pub fn cannot_cast(kind: &str, target: &str) -> RuntimeError {
        RuntimeError::new(format!("cannot cast {kind} to {target}"))
    }
    #[cold]
    #[inline(never)]
    pub fn invalid_in_operand() -> RuntimeError {
        RuntimeError::new("invalid 'in' operand")
    }
    #[cold]
    #[inline(never)]
    pub fn append_expects_list() -> RuntimeError {
        RuntimeError::new("append expects list")
    }
    #[cold]
    #[inline(never)]
    pub fn invalid_iterator() -> RuntimeError {
        RuntimeError::new("invalid iterator")
    }
    #[cold]
    #[inline(never)]
    pub fn expect_failed() -> RuntimeError {
        RuntimeError::new("expect condition failed")
    }
    #[cold]
    #[inline(never)]
    pub fn call_stack_exceeded() -> RuntimeError {
        RuntimeError {
            kind: ErrorKind::Limit,
            message: "call stack exceeded 1048576 frames".into(),
        }
    }
    /// An operator applied to operands it does not accept, e.g. `invalid operands for +: string and int`.
    #[cold]
    #[inline(never)]
    pub fn bad_operands(op: &str, a: &str, b: &str) -> RuntimeError {
        RuntimeError::new(format!("invalid operands for {op}: {a} and {b}"))
    }
    /// A built-in called with an argument it does not accept.
    #[cold]
    #[inline(never)]
    pub fn bad_argument(builtin: &str, what: &str) -> RuntimeError {
        RuntimeError::new(format!("{builtin}: {what}"))
    }
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuntimeError {}
