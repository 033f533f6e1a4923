//! The implementations every program runs under, and how to invoke each.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

use crate::program::Program;

/// An external tool an implementation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tool {
    /// The `mochi` binary built from this workspace.
    Mochi,
    /// CPython.
    Python3,
    /// PUC Lua 5.4.
    Lua54,
    /// LuaJIT 2.x.
    Luajit,
    /// GCC, to compile the C versions.
    Gcc,
}

impl Tool {
    /// Executable name looked up on `PATH` (Mochi's path comes from the build instead).
    pub fn executable(self) -> &'static str {
        match self {
            Tool::Mochi => "mochi",
            Tool::Python3 => "python3",
            Tool::Lua54 => "lua5.4",
            Tool::Luajit => "luajit",
            Tool::Gcc => "gcc",
        }
    }

    /// Debian package that provides the tool (`None` for Mochi, which we build).
    pub fn debian_package(self) -> Option<&'static str> {
        match self {
            Tool::Mochi => None,
            Tool::Python3 => Some("python3"),
            Tool::Lua54 => Some("lua5.4"),
            Tool::Luajit => Some("luajit"),
            Tool::Gcc => Some("gcc"),
        }
    }

    /// Arguments that print the tool's version.
    pub fn version_args(self) -> &'static [&'static str] {
        match self {
            Tool::Lua54 | Tool::Luajit => &["-v"],
            _ => &["--version"],
        }
    }
}

/// One column of the result tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Impl {
    /// `mochi run --jit=off FILE`: the bytecode interpreter.
    MochiInterp,
    /// `mochi run FILE`: interpreter plus copy-and-patch JIT (the reference column for ratios).
    MochiJit,
    /// `mochi run --jit=always FILE`: every function stitched before it runs. Opt-in
    /// (`--impls`), not in [`Impl::ALL`].
    MochiAlways,
    /// `mochi run --jit=opt FILE`: every function through the optimizing tier. Opt-in.
    MochiOpt,
    /// `BEFORE run --jit=always FILE`, `BEFORE` a `mochi` built from an earlier commit
    /// (`--before`): the copy-and-patch tier before and after a change, side by side in one
    /// run. Opt-in, and only with `--before`.
    MochiAlwaysBefore,
    /// `python3 FILE`.
    Python,
    /// `lua5.4 FILE`.
    Lua,
    /// `luajit -joff FILE`: LuaJIT's interpreter only.
    LuajitInterp,
    /// `luajit FILE`: LuaJIT with its trace compiler.
    Luajit,
    /// The C version compiled with `gcc -O2`.
    C,
}

impl Impl {
    /// Every implementation, in table column order.
    pub const ALL: [Impl; 7] = [
        Impl::MochiJit,
        Impl::MochiInterp,
        Impl::Python,
        Impl::Lua,
        Impl::LuajitInterp,
        Impl::Luajit,
        Impl::C,
    ];

    /// Columns only `--impls` selects (by label, or `modes` for both): the other Mochi tiers,
    /// for programs whose ratio between tiers is the point (the cliff benchmarks).
    pub const EXTRA: [Impl; 2] = [Impl::MochiAlways, Impl::MochiOpt];

    /// Every column in table order, the opt-in ones right after the default Mochi column.
    pub const ORDER: [Impl; 10] = [
        Impl::MochiJit,
        Impl::MochiAlways,
        Impl::MochiAlwaysBefore,
        Impl::MochiOpt,
        Impl::MochiInterp,
        Impl::Python,
        Impl::Lua,
        Impl::LuajitInterp,
        Impl::Luajit,
        Impl::C,
    ];

    /// Column label, also accepted by `--impls`.
    pub fn label(self) -> &'static str {
        match self {
            Impl::MochiInterp => "mochi-interp",
            Impl::MochiJit => "mochi-jit",
            Impl::MochiAlways => "mochi-always",
            Impl::MochiOpt => "mochi-opt",
            Impl::MochiAlwaysBefore => "mochi-always-before",
            Impl::Python => "python3",
            Impl::Lua => "lua5.4",
            Impl::LuajitInterp => "luajit-joff",
            Impl::Luajit => "luajit",
            Impl::C => "c-O2",
        }
    }

    /// Parses a label as printed by [`Impl::label`] (plus the shorthands `c` and `mochi`).
    pub fn from_label(s: &str) -> Option<Impl> {
        match s {
            "c" | "gcc" => Some(Impl::C),
            "mochi" => Some(Impl::MochiJit),
            _ => Impl::ORDER.into_iter().find(|i| i.label() == s),
        }
    }

    /// The command line, for the report.
    pub fn command_pattern(self) -> &'static str {
        match self {
            Impl::MochiInterp => "mochi run --jit=off NAME.mochi",
            Impl::MochiJit => "mochi run NAME.mochi",
            Impl::MochiAlways => "mochi run --jit=always NAME.mochi",
            Impl::MochiOpt => "mochi run --jit=opt NAME.mochi",
            Impl::MochiAlwaysBefore => "BEFORE run --jit=always NAME.mochi",
            Impl::Python => "python3 NAME.py",
            Impl::Lua => "lua5.4 NAME.lua",
            Impl::LuajitInterp => "luajit -joff NAME.lua",
            Impl::Luajit => "luajit NAME.lua",
            Impl::C => "gcc -O2 -ffp-contract=off NAME.c -o NAME && ./NAME",
        }
    }

    /// The tool this implementation needs at run time (for C: at build time).
    pub fn tool(self) -> Tool {
        match self {
            Impl::MochiInterp
            | Impl::MochiJit
            | Impl::MochiAlways
            | Impl::MochiOpt
            | Impl::MochiAlwaysBefore => Tool::Mochi,
            Impl::Python => Tool::Python3,
            Impl::Lua => Tool::Lua54,
            Impl::LuajitInterp | Impl::Luajit => Tool::Luajit,
            Impl::C => Tool::Gcc,
        }
    }

    /// Whether this column belongs to the runtime under test.
    pub fn is_mochi(self) -> bool {
        matches!(
            self,
            Impl::MochiInterp
                | Impl::MochiJit
                | Impl::MochiAlways
                | Impl::MochiOpt
                | Impl::MochiAlwaysBefore
        )
    }
}

/// Where the runnable artifacts are: the `mochi` binary and the compiled C programs.
#[derive(Debug, Default, Clone)]
pub struct Artifacts {
    /// The release `mochi` binary, when it built.
    pub mochi: Option<PathBuf>,
    /// The earlier `mochi` of the `mochi-always-before` column (`--before`).
    pub before: Option<PathBuf>,
    /// Compiled C binaries by program name.
    pub c_binaries: HashMap<String, PathBuf>,
}

/// The argv that runs `prog` under `imp`, or `None` when the artifact is missing.
pub fn command(imp: Impl, prog: &Program, artifacts: &Artifacts) -> Option<Vec<OsString>> {
    let os = |s: &str| OsString::from(s);
    let src = |ext: &str| prog.source(ext).into_os_string();
    Some(match imp {
        Impl::MochiInterp => vec![
            artifacts.mochi.clone()?.into_os_string(),
            os("run"),
            os("--jit=off"),
            src("mochi"),
        ],
        Impl::MochiJit => vec![
            artifacts.mochi.clone()?.into_os_string(),
            os("run"),
            src("mochi"),
        ],
        Impl::MochiAlways => vec![
            artifacts.mochi.clone()?.into_os_string(),
            os("run"),
            os("--jit=always"),
            src("mochi"),
        ],
        Impl::MochiOpt => vec![
            artifacts.mochi.clone()?.into_os_string(),
            os("run"),
            os("--jit=opt"),
            src("mochi"),
        ],
        Impl::MochiAlwaysBefore => vec![
            artifacts.before.clone()?.into_os_string(),
            os("run"),
            os("--jit=always"),
            src("mochi"),
        ],
        Impl::Python => vec![os("python3"), src("py")],
        Impl::Lua => vec![os("lua5.4"), src("lua")],
        Impl::LuajitInterp => vec![os("luajit"), os("-joff"), src("lua")],
        Impl::Luajit => vec![os("luajit"), src("lua")],
        Impl::C => vec![
            artifacts
                .c_binaries
                .get(&prog.name)?
                .clone()
                .into_os_string(),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for imp in Impl::ORDER {
            assert_eq!(Impl::from_label(imp.label()), Some(imp));
        }
        assert_eq!(Impl::from_label("c"), Some(Impl::C));
        assert_eq!(Impl::from_label("nope"), None);
        for imp in Impl::ALL.into_iter().chain(Impl::EXTRA) {
            assert!(Impl::ORDER.contains(&imp));
        }
        assert!(Impl::EXTRA.iter().all(|i| !Impl::ALL.contains(i)));
    }
}
