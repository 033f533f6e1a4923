//! Patchers: write a value into a hole, one function per [`HoleKind`].
//!
//! Every patcher checks, in this order, the instruction shape (where the field is part of an
//! instruction that can be decoded cheaply), the alignment and the range, and returns a
//! [`PatchError`] instead of truncating. [`apply`] is the single entry point the code buffer
//! uses; [`x86_64`], [`aarch64`] and [`riscv64`] hold the per-target encodings and veneers.

pub mod aarch64;
pub mod riscv64;
pub mod x86_64;

use crate::buffer::Label;
use crate::stencil::{HoleKind, SymbolId};

/// Why a hole could not be patched or a buffer could not be finished.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatchError {
    /// Limit: the value does not fit the field (e.g. a displacement beyond ±2 GiB, a 32-bit
    /// hole given a 64-bit value). Holes that can take a veneer never report this.
    OutOfRange {
        /// Kind of the hole.
        kind: HoleKind,
        /// Offset of the hole in the code buffer.
        offset: usize,
        /// The value (or PC-relative distance) that did not fit.
        value: i64,
    },
    /// Bug (in the stencil or the value given): a branch or scaled offset that is not a
    /// multiple of the instruction's unit.
    Misaligned {
        /// Kind of the hole.
        kind: HoleKind,
        /// Offset of the hole in the code buffer.
        offset: usize,
        /// The misaligned value.
        value: i64,
    },
    /// Bug (in the table or the build tool): the bytes at the hole are not the instruction its
    /// kind patches.
    BadInstruction {
        /// Kind of the hole.
        kind: HoleKind,
        /// Offset of the hole in the code buffer.
        offset: usize,
        /// The instruction word found (aarch64) or the bytes before the field (x86_64).
        found: u32,
    },
    /// Bug (in the table): the hole lies outside the code.
    HoleOutOfBounds {
        /// Offset of the hole.
        offset: usize,
        /// Length of the code.
        len: usize,
    },
    /// User error: the value callback returned `None` for a symbol the stencil uses.
    Unresolved {
        /// The symbol without a value.
        symbol: SymbolId,
        /// The stencil that uses it.
        stencil: &'static str,
    },
    /// User error: a label was used as a hole value but never bound.
    UnboundLabel(Label),
    /// Limit: the code buffer grew past 4 GiB.
    CodeTooLarge,
    /// Limit: the operating system refused executable memory (`mmap`/`mprotect` errno).
    Memory {
        /// The raw OS error number.
        errno: i32,
    },
}

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatchError::OutOfRange {
                kind,
                offset,
                value,
            } => write!(
                f,
                "{kind:?} hole at offset {offset:#x}: value {value:#x} is out of range"
            ),
            PatchError::Misaligned {
                kind,
                offset,
                value,
            } => write!(
                f,
                "{kind:?} hole at offset {offset:#x}: value {value:#x} is misaligned"
            ),
            PatchError::BadInstruction {
                kind,
                offset,
                found,
            } => write!(
                f,
                "{kind:?} hole at offset {offset:#x}: unexpected instruction {found:#010x}"
            ),
            PatchError::HoleOutOfBounds { offset, len } => {
                write!(
                    f,
                    "hole at offset {offset:#x} lies outside {len} bytes of code"
                )
            }
            PatchError::Unresolved { symbol, stencil } => write!(
                f,
                "stencil {stencil}: no value given for hole symbol #{}",
                symbol.0
            ),
            PatchError::UnboundLabel(label) => write!(f, "label {} was never bound", label.0),
            PatchError::CodeTooLarge => write!(f, "code buffer larger than 4 GiB"),
            PatchError::Memory { errno } => {
                write!(
                    f,
                    "executable memory: {}",
                    std::io::Error::from_raw_os_error(*errno)
                )
            }
        }
    }
}

impl std::error::Error for PatchError {}

/// Patches the hole of `kind` at `code[offset..]`.
///
/// `value` is the hole's value plus its addend (`S` in the [`HoleKind`] docs); `place` is the
/// final run-time address of `code[offset]` (`P`), used only by PC-relative kinds.
#[inline]
pub fn apply(
    kind: HoleKind,
    code: &mut [u8],
    offset: usize,
    place: u64,
    value: u64,
) -> Result<(), PatchError> {
    let width = match kind {
        HoleKind::Abs64 | HoleKind::RiscvCall => 8,
        _ => 4,
    };
    if offset.checked_add(width).is_none_or(|end| end > code.len()) {
        return Err(PatchError::HoleOutOfBounds {
            offset,
            len: code.len(),
        });
    }
    match kind {
        HoleKind::Abs64 | HoleKind::Abs32 | HoleKind::Abs32Signed => {
            patch_word(kind, code, offset, value)
        }
        HoleKind::Rel32 => x86_64::patch(kind, code, offset, place, value),
        HoleKind::RiscvHi20
        | HoleKind::RiscvLo12I
        | HoleKind::RiscvLo12S
        | HoleKind::RiscvCall
        | HoleKind::RiscvPcrelHi20
        | HoleKind::RiscvPcrelLo12I => riscv64::patch(kind, code, offset, place, value),
        _ => aarch64::patch(kind, code, offset, place, value),
    }
}

/// Plain data words, the same on every target.
fn patch_word(
    kind: HoleKind,
    code: &mut [u8],
    offset: usize,
    value: u64,
) -> Result<(), PatchError> {
    let out_of_range = || PatchError::OutOfRange {
        kind,
        offset,
        value: value as i64,
    };
    match kind {
        HoleKind::Abs64 => code[offset..offset + 8].copy_from_slice(&value.to_le_bytes()),
        HoleKind::Abs32 => {
            write_u32(
                code,
                offset,
                u32::try_from(value).map_err(|_| out_of_range())?,
            );
        }
        _ => {
            let narrow = i32::try_from(value as i64).map_err(|_| out_of_range())?;
            write_u32(code, offset, narrow as u32);
        }
    }
    Ok(())
}

pub(crate) fn read_u32(code: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes([
        code[offset],
        code[offset + 1],
        code[offset + 2],
        code[offset + 3],
    ])
}

pub(crate) fn write_u32(code: &mut [u8], offset: usize, word: u32) {
    code[offset..offset + 4].copy_from_slice(&word.to_le_bytes());
}
