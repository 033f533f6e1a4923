//! aarch64 holes: `movz`/`movk` 16-bit chunks, `b`/`bl`, `b.cond`/`cbz`, `tbz`, `adrp` pages and
//! the low-12-bit `add`/`ldr`/`str` immediates, plus the 16-byte veneer
//! `ldr x16, #8; br x16; .quad addr` for `b`/`bl` targets beyond ±128 MiB.
//!
//! Each patcher first checks that the word at the hole is an instruction of the class its kind
//! patches, then the alignment, then the range.

use super::{PatchError, read_u32, write_u32};
use crate::stencil::HoleKind;

/// Size of a veneer in bytes.
pub const VENEER_SIZE: usize = 16;

/// `ldr x16, #8`.
const LDR_X16_LITERAL_8: u32 = 0x5800_0050;
/// `br x16`.
const BR_X16: u32 = 0xd61f_0200;

/// Writes a veneer jumping to `target` at `out[..VENEER_SIZE]` (`x16` is the intra-procedure
/// scratch register the ABI reserves for exactly this). Place it 4-byte aligned.
pub fn write_veneer(out: &mut [u8], target: u64) {
    write_u32(out, 0, LDR_X16_LITERAL_8);
    write_u32(out, 4, BR_X16);
    out[8..16].copy_from_slice(&target.to_le_bytes());
}

/// Whether the word at `offset` is a `b` or `bl` (the only branches a veneer stands in for).
pub fn is_branch26(code: &[u8], offset: usize) -> bool {
    read_u32(code, offset) & 0x7c00_0000 == 0x1400_0000
}

fn check_class(kind: HoleKind, offset: usize, word: u32, matches: bool) -> Result<(), PatchError> {
    if matches {
        Ok(())
    } else {
        Err(PatchError::BadInstruction {
            kind,
            offset,
            found: word,
        })
    }
}

/// Checks alignment and a signed range of `bits` bits of words, returning the word offset.
fn branch_words(
    kind: HoleKind,
    offset: usize,
    distance: i64,
    bits: u32,
) -> Result<u32, PatchError> {
    if distance & 3 != 0 {
        return Err(PatchError::Misaligned {
            kind,
            offset,
            value: distance,
        });
    }
    let words = distance >> 2;
    let limit = 1i64 << (bits - 1);
    if words < -limit || words >= limit {
        return Err(PatchError::OutOfRange {
            kind,
            offset,
            value: distance,
        });
    }
    Ok((words as u32) & ((1u32 << bits) - 1))
}

pub(super) fn patch(
    kind: HoleKind,
    code: &mut [u8],
    offset: usize,
    place: u64,
    value: u64,
) -> Result<(), PatchError> {
    let word = read_u32(code, offset);
    let patched = match kind {
        HoleKind::Aarch64MovwG0Nc
        | HoleKind::Aarch64MovwG1Nc
        | HoleKind::Aarch64MovwG2Nc
        | HoleKind::Aarch64MovwG0
        | HoleKind::Aarch64MovwG1
        | HoleKind::Aarch64MovwG2
        | HoleKind::Aarch64MovwG3 => {
            // Move wide (immediate): movn/movz/movk, 32 or 64 bit.
            check_class(kind, offset, word, word & 0x1f80_0000 == 0x1280_0000)?;
            let (group, checked) = match kind {
                HoleKind::Aarch64MovwG0Nc => (0, false),
                HoleKind::Aarch64MovwG1Nc => (1, false),
                HoleKind::Aarch64MovwG2Nc => (2, false),
                HoleKind::Aarch64MovwG0 => (0, true),
                HoleKind::Aarch64MovwG1 => (1, true),
                HoleKind::Aarch64MovwG2 => (2, true),
                _ => (3, false),
            };
            if checked && value >> (16 * (group + 1)) != 0 {
                return Err(PatchError::OutOfRange {
                    kind,
                    offset,
                    value: value as i64,
                });
            }
            let chunk = ((value >> (16 * group)) & 0xffff) as u32;
            (word & !(0xffff << 5)) | (chunk << 5)
        }
        HoleKind::Aarch64Branch26 => {
            check_class(kind, offset, word, word & 0x7c00_0000 == 0x1400_0000)?;
            let distance = value.wrapping_sub(place) as i64;
            (word & !0x03ff_ffff) | branch_words(kind, offset, distance, 26)?
        }
        HoleKind::Aarch64CondBr19 => {
            let is_bcond = word & 0xff00_0010 == 0x5400_0000;
            let is_cbz = word & 0x7e00_0000 == 0x3400_0000;
            check_class(kind, offset, word, is_bcond || is_cbz)?;
            let distance = value.wrapping_sub(place) as i64;
            (word & !(0x7ffff << 5)) | (branch_words(kind, offset, distance, 19)? << 5)
        }
        HoleKind::Aarch64TestBr14 => {
            check_class(kind, offset, word, word & 0x7e00_0000 == 0x3600_0000)?;
            let distance = value.wrapping_sub(place) as i64;
            (word & !(0x3fff << 5)) | (branch_words(kind, offset, distance, 14)? << 5)
        }
        HoleKind::Aarch64AdrPage21 => {
            check_class(kind, offset, word, word & 0x9f00_0000 == 0x9000_0000)?;
            let pages = ((value & !0xfff) as i64).wrapping_sub((place & !0xfff) as i64) >> 12;
            if !(-(1i64 << 20)..(1i64 << 20)).contains(&pages) {
                return Err(PatchError::OutOfRange {
                    kind,
                    offset,
                    value: pages << 12,
                });
            }
            let pages = pages as u32;
            let immlo = pages & 3;
            let immhi = (pages >> 2) & 0x7ffff;
            (word & !((3 << 29) | (0x7ffff << 5))) | (immlo << 29) | (immhi << 5)
        }
        HoleKind::Aarch64AddLo12 => {
            // Add/subtract (immediate), unshifted.
            check_class(
                kind,
                offset,
                word,
                word & 0x1f80_0000 == 0x1100_0000 && word & (1 << 22) == 0,
            )?;
            let low = (value & 0xfff) as u32;
            (word & !(0xfff << 10)) | (low << 10)
        }
        HoleKind::Aarch64Ldst8Lo12
        | HoleKind::Aarch64Ldst16Lo12
        | HoleKind::Aarch64Ldst32Lo12
        | HoleKind::Aarch64Ldst64Lo12
        | HoleKind::Aarch64Ldst128Lo12 => {
            // Load/store register (unsigned immediate).
            check_class(kind, offset, word, word & 0x3b00_0000 == 0x3900_0000)?;
            let scale = match kind {
                HoleKind::Aarch64Ldst8Lo12 => 0,
                HoleKind::Aarch64Ldst16Lo12 => 1,
                HoleKind::Aarch64Ldst32Lo12 => 2,
                HoleKind::Aarch64Ldst64Lo12 => 3,
                _ => 4,
            };
            let low = (value & 0xfff) as u32;
            if low & ((1 << scale) - 1) != 0 {
                return Err(PatchError::Misaligned {
                    kind,
                    offset,
                    value: value as i64,
                });
            }
            (word & !(0xfff << 10)) | ((low >> scale) << 10)
        }
        _ => {
            return Err(PatchError::BadInstruction {
                kind,
                offset,
                found: word,
            });
        }
    };
    write_u32(code, offset, patched);
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Expected words come from `llvm-mc-19 -triple=aarch64 -show-encoding`.
    use super::*;
    use crate::patch::apply;

    const P: u64 = 0x7000_0000_0000;

    fn patched(kind: HoleKind, word: u32, place: u64, value: u64) -> Result<u32, PatchError> {
        let mut code = word.to_le_bytes().to_vec();
        apply(kind, &mut code, 0, place, value)?;
        Ok(read_u32(&code, 0))
    }

    #[test]
    fn branches() {
        let b = HoleKind::Aarch64Branch26;
        assert_eq!(patched(b, 0x1400_0000, P, P + 0x100), Ok(0x1400_0040));
        assert_eq!(patched(b, 0x9400_0000, P, P - 4), Ok(0x97ff_ffff));
        assert!(matches!(
            patched(b, 0x1400_0000, P, P + (1 << 27)),
            Err(PatchError::OutOfRange { .. })
        ));
        assert!(patched(b, 0x1400_0000, P, P + (1 << 27) - 4).is_ok());
        assert!(patched(b, 0x1400_0000, P, P - (1 << 27)).is_ok());
        assert!(matches!(
            patched(b, 0x1400_0000, P, P + 2),
            Err(PatchError::Misaligned { .. })
        ));
        // A nop is not a branch.
        assert!(matches!(
            patched(b, 0xd503_201f, P, P),
            Err(PatchError::BadInstruction { .. })
        ));
        let cond = HoleKind::Aarch64CondBr19;
        assert_eq!(patched(cond, 0x5400_004a, P, P + 0x40), Ok(0x5400_020a));
        assert_eq!(patched(cond, 0xb400_0002, P, P + 0xf_fffc), Ok(0xb47f_ffe2));
        assert!(matches!(
            patched(cond, 0xb400_0002, P, P + 0x10_0000),
            Err(PatchError::OutOfRange { .. })
        ));
        let test = HoleKind::Aarch64TestBr14;
        assert_eq!(patched(test, 0x3618_0000, P, P - 8), Ok(0x361f_ffc0));
    }

    #[test]
    fn pages_and_low_bits() {
        let adrp = HoleKind::Aarch64AdrPage21;
        assert_eq!(patched(adrp, 0x9000_0000, P, P + 0x5123), Ok(0xb000_0020));
        assert!(matches!(
            patched(adrp, 0x9000_0000, P, P + (1 << 32)),
            Err(PatchError::OutOfRange { .. })
        ));
        let add = HoleKind::Aarch64AddLo12;
        assert_eq!(patched(add, 0x9100_0000, P, 0x7000_0123), Ok(0x9104_8c00));
        let ldr = HoleKind::Aarch64Ldst64Lo12;
        assert_eq!(patched(ldr, 0xf940_0101, P, 0x7000_0018), Ok(0xf940_0d01));
        assert!(matches!(
            patched(ldr, 0xf940_0101, P, 0x7000_001c),
            Err(PatchError::Misaligned { .. })
        ));
        assert!(matches!(
            patched(add, 0xf940_0101, P, 0),
            Err(PatchError::BadInstruction { .. })
        ));
    }

    #[test]
    fn move_wide_chunks() {
        let value = 0x1234_5678_9abc_def0;
        let movz_x8 = 0xd280_0008;
        let movk_x8_48 = 0xf2e0_0008;
        assert_eq!(
            patched(HoleKind::Aarch64MovwG0Nc, movz_x8, P, value),
            Ok(0xd29b_de08)
        );
        assert_eq!(
            patched(HoleKind::Aarch64MovwG3, movk_x8_48, P, value),
            Ok(0xf2e2_4688)
        );
        assert!(matches!(
            patched(HoleKind::Aarch64MovwG0, movz_x8, P, 0x1_0000),
            Err(PatchError::OutOfRange { .. })
        ));
        assert!(patched(HoleKind::Aarch64MovwG1, movz_x8, P, 0xffff_ffff).is_ok());
    }

    #[test]
    fn veneer_bytes() {
        let mut out = [0u8; VENEER_SIZE];
        write_veneer(&mut out, 0x1122_3344_5566_7788);
        assert_eq!(read_u32(&out, 0), LDR_X16_LITERAL_8);
        assert_eq!(read_u32(&out, 4), BR_X16);
        assert_eq!(
            u64::from_le_bytes(out[8..].try_into().unwrap()),
            0x1122_3344_5566_7788
        );
        assert!(is_branch26(&0x9400_0000u32.to_le_bytes(), 0));
    }
}
