//! The foreign modules a program may import (LANGUAGE.md §19.3): no Python or Go runs; each
//! module is this fixed table of members, a constant or a [`Builtin`] the runtime implements.
//!
//! `import python "math" as math` makes `math.sqrt(2.0)` a call of [`Builtin::PySqrt`] and
//! `math.pi` a constant; a member's name is the part of its built-in's name after the last
//! dot (`math.sqrt` → `sqrt`).

use crate::Builtin;

/// An importable module: the language and path of its `import`, and its members.
#[derive(Debug)]
pub struct Module {
    /// `python`, `go`.
    pub lang: &'static str,
    /// The import path: `math`, `mochi/runtime/ffi/go/testpkg`.
    pub path: &'static str,
    /// Every member.
    pub members: &'static [Member],
}

/// One member of a module.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Member {
    /// A `float` constant.
    Float(&'static str, f64),
    /// An `int` constant.
    Int(&'static str, i64),
    /// A function, implemented by the runtime as this built-in.
    Fun(Builtin),
}

impl Member {
    /// The member's name (`sqrt`, `Pi`).
    pub fn name(self) -> &'static str {
        match self {
            Member::Float(name, _) | Member::Int(name, _) => name,
            Member::Fun(b) => b.name().rsplit('.').next().unwrap_or_default(),
        }
    }
}

impl Module {
    /// The member called `name`, if the module has one.
    pub fn member(&self, name: &str) -> Option<Member> {
        self.members.iter().copied().find(|m| m.name() == name)
    }

    /// How messages name the module: `python "math"`.
    pub fn describe(&self) -> String {
        format!("{} \"{}\"", self.lang, self.path)
    }
}

/// The module imported as `lang "path"`, if there is one.
pub fn find(lang: &str, path: &str) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.lang == lang && m.path == path)
}

use Builtin as B;

/// Every module.
pub static MODULES: &[Module] = &[
    Module {
        lang: "python",
        path: "math",
        members: &[
            Member::Float("pi", std::f64::consts::PI),
            Member::Float("e", std::f64::consts::E),
            Member::Float("tau", std::f64::consts::TAU),
            Member::Float("inf", f64::INFINITY),
            Member::Float("nan", f64::NAN),
            Member::Fun(B::PySqrt),
            Member::Fun(B::PyPow),
            Member::Fun(B::PySin),
            Member::Fun(B::PyCos),
            Member::Fun(B::PyTan),
            Member::Fun(B::PyAsin),
            Member::Fun(B::PyAcos),
            Member::Fun(B::PyAtan),
            Member::Fun(B::PyAtan2),
            Member::Fun(B::PyExp),
            Member::Fun(B::PyLog),
            Member::Fun(B::PyLog10),
            Member::Fun(B::PyLog2),
            Member::Fun(B::PyFabs),
            Member::Fun(B::PyHypot),
        ],
    },
    Module {
        lang: "go",
        path: "math",
        members: &[
            Member::Float("Pi", std::f64::consts::PI),
            Member::Float("E", std::f64::consts::E),
            Member::Fun(B::GoSqrt),
            Member::Fun(B::GoAbs),
            Member::Fun(B::GoSin),
            Member::Fun(B::GoLog),
            Member::Fun(B::GoPow),
            Member::Fun(B::GoAtan2),
        ],
    },
    Module {
        lang: "go",
        path: "strings",
        members: &[
            Member::Fun(B::StrToUpper),
            Member::Fun(B::StrToLower),
            Member::Fun(B::StrTrimSpace),
            Member::Fun(B::StrHasPrefix),
            Member::Fun(B::StrHasSuffix),
            Member::Fun(B::StrContains),
            Member::Fun(B::StrTrimPrefix),
            Member::Fun(B::StrTrimSuffix),
            Member::Fun(B::StrSplit),
            Member::Fun(B::StrJoin),
            Member::Fun(B::StrRepeat),
            Member::Fun(B::StrReplaceAll),
            Member::Fun(B::StrFields),
        ],
    },
    Module {
        lang: "go",
        path: "os",
        members: &[Member::Fun(B::OsGetenv), Member::Fun(B::OsEnviron)],
    },
    Module {
        lang: "go",
        path: "mochi/runtime/ffi/go/testpkg",
        members: &[
            Member::Fun(B::TestpkgAdd),
            // Upstream's test package really says 3.14, not π.
            #[allow(clippy::approx_constant)]
            Member::Float("Pi", 3.14),
            Member::Int("Answer", 42),
            Member::Fun(B::TestpkgMd5Hex),
        ],
    },
];
