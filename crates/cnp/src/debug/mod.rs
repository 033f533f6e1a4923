//! Debugger and profiler views of stitched code: which bytes belong to which symbol, which
//! source line, and how to unwind out of them. The language supplies names and lines; this
//! module turns them into an in-memory ELF object for GDB's JIT interface ([`elf`],
//! [`gdb_jit`]) and into perf's jitdump format ([`jitdump`]). Nothing here runs unless a
//! language asks for it (e.g. Mochi's `--debug-info`), so stitching speed is unaffected.

pub mod elf;
pub mod gdb_jit;
pub mod jitdump;

use crate::Arch;

/// One symbol (a function of the language, or a runtime stub) covering `len` bytes of code
/// from `offset` (relative to [`CodeDebugInfo::addr`]).
#[derive(Clone, Debug)]
pub struct DebugSymbol {
    /// The name debuggers and profilers show.
    pub name: String,
    /// Start, relative to the code's address.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// How the stack pointer moves inside the symbol, for `.eh_frame` (x86_64 only; empty:
    /// the symbol never moves it, so the canonical frame address stays `rsp + 8`).
    pub unwind: Vec<UnwindRow>,
}

/// A change of the unwind state at `offset` (relative to the symbol's start), taking effect
/// from that instruction on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnwindRow {
    /// The canonical frame address is now `sp + sp_offset` (x86_64: `rsp + 8` at entry).
    Cfa {
        /// Offset in the symbol.
        offset: u64,
        /// Bytes from the stack pointer to the CFA.
        sp_offset: u32,
    },
    /// DWARF register `reg` of the caller is saved at `CFA + cfa_offset`.
    Saved {
        /// Offset in the symbol.
        offset: u64,
        /// DWARF register number.
        reg: u16,
        /// Where it is saved, relative to the CFA (negative).
        cfa_offset: i32,
    },
}

/// A line-table row: code from `offset` (relative to the code's address) on comes from
/// source line `line` (until the next row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRow {
    /// Offset relative to the code's address.
    pub offset: u64,
    /// 1-based source line (0: no line).
    pub line: u32,
}

/// What a debugger needs to know about one block of stitched code.
#[derive(Clone, Debug)]
pub struct CodeDebugInfo {
    /// The instruction set of the code.
    pub arch: Arch,
    /// Absolute address of the code's first byte.
    pub addr: u64,
    /// Length of the code in bytes.
    pub len: u64,
    /// The source file every line refers to (absolute path works best: debuggers match
    /// `break FILE:LINE` on its final components).
    pub file: String,
    /// Symbols, sorted by offset, not overlapping.
    pub symbols: Vec<DebugSymbol>,
    /// Line rows, sorted by offset.
    pub lines: Vec<LineRow>,
}
