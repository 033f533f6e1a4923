//! The functions the runtime provides, defined once as data: the built-ins of LANGUAGE.md
//! §11 (and the few the compiler emits on its own), and the members of the foreign modules of
//! §19.3 (`import python "math"`, `import go "strings"`, ...).
//!
//! Input → output: nothing → tables. Each built-in is one row of [`table.rs`](Builtin): its
//! name, its signature (from which the arity checks of the checker, the verifier and the
//! runtime all derive) and where a program may name it. [`modules`] lists what each
//! importable module contains. The checker (`mochi-types`) reads the signatures, the compiler
//! and verifier (`mochi-bytecode`) the indices, and the runtime (`mochi-runtime`) implements
//! every row. Depends on no other crate, so every layer can use it.
//!
//! Start reading at the row table in `table.rs`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod modules;
mod table;

pub use table::Builtin;

/// A static type named by the tables; the checker maps it onto its own types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Any value (checked at run time), or a result the checker refines from the arguments.
    Any,
    /// No value (`unit`): the call is made for its effect and yields `none`.
    Unit,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `bool`.
    Bool,
    /// `string`.
    Str,
    /// `bigint`.
    BigInt,
    /// `list<int>`.
    ListInt,
    /// `list<string>`.
    ListStr,
    /// `list<any>`.
    ListAny,
    /// `map<any, any>`.
    Map,
}

/// Where a program may name a built-in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// By its name, as a function: `len(xs)`.
    pub global: bool,
    /// As a method of its first argument: `s.padStart(3, "0")`, `m.get(k, 0)`.
    pub method: bool,
    /// As a member of an imported module: `math.sqrt(2.0)` (see [`modules`]).
    pub member: bool,
    /// Nowhere: only the compiler emits calls of it.
    pub internal: bool,
}

/// One word of a row's scope list.
#[derive(Clone, Copy, Debug)]
#[allow(missing_docs)] // one per field of `Scope`
pub enum ScopeWord {
    Global,
    Method,
    Member,
    Internal,
}

impl Scope {
    /// The scope a row's word list describes.
    pub const fn of(words: &[ScopeWord]) -> Scope {
        let mut s = Scope {
            global: false,
            method: false,
            member: false,
            internal: false,
        };
        let mut i = 0;
        while i < words.len() {
            match words[i] {
                ScopeWord::Global => s.global = true,
                ScopeWord::Method => s.method = true,
                ScopeWord::Member => s.member = true,
                ScopeWord::Internal => s.internal = true,
            }
            i += 1;
        }
        s
    }
}

/// A built-in's parameters and result.
#[derive(Clone, Copy, Debug)]
pub struct Signature {
    /// Required parameters (for methods, the receiver first).
    pub params: &'static [Ty],
    /// Parameters that may be left out, after the required ones.
    pub optional: &'static [Ty],
    /// The type of any number of further arguments (variadic built-ins).
    pub rest: Option<Ty>,
    /// The result.
    pub ret: Ty,
    /// Where programs may name it.
    pub scope: Scope,
}

impl Signature {
    /// How many arguments a call may pass.
    pub fn arity(&self) -> Arity {
        let min = self.params.len();
        Arity {
            min,
            max: match self.rest {
                Some(_) => None,
                None => Some(min + self.optional.len()),
            },
        }
    }

    /// The type of argument `i` (`None` past the last parameter).
    pub fn param(&self, i: usize) -> Option<Ty> {
        self.params
            .iter()
            .chain(self.optional)
            .nth(i)
            .copied()
            .or(self.rest)
    }
}

/// The accepted argument counts of a built-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arity {
    /// Fewest arguments.
    pub min: usize,
    /// Most arguments (`None`: any number).
    pub max: Option<usize>,
}

impl Arity {
    /// Whether `n` arguments are accepted.
    pub fn accepts(self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }

    /// The message for a call of `name` with `given` arguments, `hidden` of which are not
    /// written in the argument list (the receiver of a method call):
    /// `substring expects 2 or 3 arguments, got 1`.
    pub fn mismatch(self, name: &str, given: usize, hidden: usize) -> String {
        let min = self.min.saturating_sub(hidden);
        let max = self.max.map(|m| m.saturating_sub(hidden));
        let given = given.saturating_sub(hidden);
        let count = match max {
            None => format!("at least {min}"),
            Some(max) if max == min => min.to_string(),
            Some(max) if max == min + 1 => format!("{min} or {max}"),
            Some(max) => format!("{min} to {max}"),
        };
        let noun = if max.unwrap_or(min) == 1 {
            "argument"
        } else {
            "arguments"
        };
        format!("{name} expects {count} {noun}, got {given}")
    }
}

#[cfg(test)]
mod tests;
