//! riscv64 holes: `lui` upper 20 bits and the low 12 bits of an I-type (`addi`, `ld`, `jalr`)
//! or S-type (`sd`) immediate (`-mcmodel=medlow`: absolute values within ±2 GiB), and the
//! `auipc` + `jalr` pair of a call or tail call (PC-relative, ±2 GiB), the `auipc` + I-type
//! pair of a PC-relative access (how 64-bit holes load their value from a GOT entry: medlow
//! cannot hold them), plus the 24-byte veneer
//! `auipc t1, 0; ld t1, 16(t1); jr t1; nop; .quad addr` for call targets beyond that.
//!
//! The upper part is rounded (`(S + 0x800) >> 12`) because the low 12 bits are sign-extended
//! by the instruction that adds them. Each patcher checks the opcode it patches first.

use super::{PatchError, read_u32, write_u32};
use crate::stencil::HoleKind;

/// Size of a veneer in bytes (8-aligned when placed at an 8-aligned address).
pub const VENEER_SIZE: usize = 24;

/// `auipc t1, 0`.
const AUIPC_T1: u32 = 0x0000_0317;
/// `ld t1, 16(t1)`.
const LD_T1_16_T1: u32 = 0x0103_3303;
/// `jr t1` (`jalr x0, 0(t1)`).
const JR_T1: u32 = 0x0003_0067;
/// `nop`.
const NOP: u32 = 0x0000_0013;

const OPCODE_LUI: u32 = 0x37;
const OPCODE_AUIPC: u32 = 0x17;
const OPCODE_JALR: u32 = 0x67;
const OPCODE_STORE: u32 = 0x23;

/// Writes a veneer jumping to `target` at `out[..VENEER_SIZE]` (clobbers `t1`, the register
/// the ABI's call sequences use as scratch). Place it 8-byte aligned.
pub fn write_veneer(out: &mut [u8], target: u64) {
    write_u32(out, 0, AUIPC_T1);
    write_u32(out, 4, LD_T1_16_T1);
    write_u32(out, 8, JR_T1);
    write_u32(out, 12, NOP);
    out[16..24].copy_from_slice(&target.to_le_bytes());
}

/// Whether the hole at `offset` is an `auipc` + `jalr` pair (a veneer can stand in for its
/// target).
pub fn is_call_pair(code: &[u8], offset: usize) -> bool {
    offset + 8 <= code.len()
        && read_u32(code, offset) & 0x7f == OPCODE_AUIPC
        && read_u32(code, offset + 4) & 0x7f == OPCODE_JALR
}

/// `value` split into the rounded upper 20 bits and the sign-extended low 12, if it fits a
/// signed 32-bit value.
fn hi_lo(kind: HoleKind, offset: usize, value: i64) -> Result<(u32, u32), PatchError> {
    if i32::try_from(value).is_err() || value > i32::MAX as i64 - 0x800 {
        return Err(PatchError::OutOfRange {
            kind,
            offset,
            value,
        });
    }
    let hi = ((value + 0x800) >> 12) as u32 & 0xf_ffff;
    let lo = value as u32 & 0xfff;
    Ok((hi, lo))
}

fn check(kind: HoleKind, offset: usize, word: u32, matches: bool) -> Result<(), PatchError> {
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

fn with_i_imm(word: u32, lo: u32) -> u32 {
    (word & 0x000f_ffff) | (lo << 20)
}

fn with_s_imm(word: u32, lo: u32) -> u32 {
    (word & 0x01ff_f07f) | ((lo >> 5) << 25) | ((lo & 0x1f) << 7)
}

pub(super) fn patch(
    kind: HoleKind,
    code: &mut [u8],
    offset: usize,
    place: u64,
    value: u64,
) -> Result<(), PatchError> {
    let word = read_u32(code, offset);
    match kind {
        HoleKind::RiscvHi20 => {
            check(kind, offset, word, word & 0x7f == OPCODE_LUI)?;
            let (hi, _) = hi_lo(kind, offset, value as i64)?;
            write_u32(code, offset, (word & 0xfff) | (hi << 12));
        }
        HoleKind::RiscvLo12I => {
            // Any I-type immediate user (addi, ld, jalr, ...); not a store, lui or auipc.
            let opcode = word & 0x7f;
            check(
                kind,
                offset,
                word,
                word & 3 == 3 && !matches!(opcode, OPCODE_STORE | OPCODE_LUI | OPCODE_AUIPC),
            )?;
            write_u32(code, offset, with_i_imm(word, value as u32 & 0xfff));
        }
        HoleKind::RiscvPcrelHi20 => {
            check(kind, offset, word, word & 0x7f == OPCODE_AUIPC)?;
            let (hi, _) = hi_lo(kind, offset, value.wrapping_sub(place) as i64)?;
            write_u32(code, offset, (word & 0xfff) | (hi << 12));
        }
        HoleKind::RiscvPcrelLo12I => {
            // `value` carries the distance from the paired auipc (see HoleKind), so this is
            // the low part of the distance the auipc's upper part was rounded for.
            let opcode = word & 0x7f;
            check(
                kind,
                offset,
                word,
                word & 3 == 3 && !matches!(opcode, OPCODE_STORE | OPCODE_LUI | OPCODE_AUIPC),
            )?;
            let distance = value.wrapping_sub(place);
            write_u32(code, offset, with_i_imm(word, distance as u32 & 0xfff));
        }
        HoleKind::RiscvLo12S => {
            check(kind, offset, word, word & 0x7f == OPCODE_STORE)?;
            write_u32(code, offset, with_s_imm(word, value as u32 & 0xfff));
        }
        HoleKind::RiscvCall => {
            check(kind, offset, word, is_call_pair(code, offset))?;
            let distance = value.wrapping_sub(place) as i64;
            if distance & 1 != 0 {
                return Err(PatchError::Misaligned {
                    kind,
                    offset,
                    value: distance,
                });
            }
            let (hi, lo) = hi_lo(kind, offset, distance)?;
            write_u32(code, offset, (word & 0xfff) | (hi << 12));
            let jalr = read_u32(code, offset + 4);
            write_u32(code, offset + 4, with_i_imm(jalr, lo));
        }
        _ => {
            return Err(PatchError::BadInstruction {
                kind,
                offset,
                found: word,
            });
        }
    }
    Ok(())
}

/// The major opcode class of a 32-bit riscv instruction (for listings: no well-kept
/// pure-Rust riscv disassembler is among our dependencies).
pub fn opcode_class(word: u32) -> &'static str {
    match word & 0x7f {
        0x03 => "load",
        0x07 => "load-fp",
        0x13 => "op-imm",
        0x17 => "auipc",
        0x1b => "op-imm-32",
        0x23 => "store",
        0x27 => "store-fp",
        0x33 => "op",
        0x37 => "lui",
        0x3b => "op-32",
        0x53 => "op-fp",
        0x63 => "branch",
        0x67 => "jalr",
        0x6f => "jal",
        0x73 => "system",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    //! Expected words come from `llvm-mc-19 -triple=riscv64 -show-encoding`.
    use super::*;
    use crate::patch::apply;

    const P: u64 = 0x4000_0000;

    fn patched(
        kind: HoleKind,
        words: &[u32],
        place: u64,
        value: u64,
    ) -> Result<Vec<u32>, PatchError> {
        let mut code: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        apply(kind, &mut code, 0, place, value)?;
        Ok((0..words.len()).map(|i| read_u32(&code, 4 * i)).collect())
    }

    #[test]
    fn absolute_hi_lo() {
        // lui a2, 0x12345; addi a2, a2, 0x678
        let lui_a2 = 0x0000_0637;
        let addi_a2 = 0x0006_0613;
        assert_eq!(
            patched(HoleKind::RiscvHi20, &[lui_a2], P, 0x1234_5678),
            Ok(vec![0x1234_5637])
        );
        assert_eq!(
            patched(HoleKind::RiscvLo12I, &[addi_a2], P, 0x1234_5678),
            Ok(vec![0x6786_0613])
        );
        // The low part is sign-extended, so the upper part rounds up: 0x800 = (1 << 12) - 0x800.
        assert_eq!(
            patched(HoleKind::RiscvHi20, &[lui_a2], P, 0x800),
            Ok(vec![0x0000_1637])
        );
        // sd a3, 0x7f8(a4)
        let sd = 0x00d7_3023;
        assert_eq!(
            patched(HoleKind::RiscvLo12S, &[sd], P, 0x7f8),
            Ok(vec![0x7ed7_3c23])
        );
        assert!(matches!(
            patched(HoleKind::RiscvHi20, &[lui_a2], P, 1 << 32),
            Err(PatchError::OutOfRange { .. })
        ));
        assert!(matches!(
            patched(HoleKind::RiscvLo12S, &[addi_a2], P, 0),
            Err(PatchError::BadInstruction { .. })
        ));
    }

    #[test]
    fn pcrel_pairs() {
        // auipc a0, 0; ld a0, 0(a0), 8 bytes apart, reaching a GOT entry 0x1234_5ff8 bytes past
        // the auipc: the ld's value carries the 4-byte distance from the auipc to it.
        let auipc_a0 = 0x0000_0517;
        let ld_a0 = 0x0005_3503;
        let d = 0x1234_5ff8u64;
        assert_eq!(
            patched(HoleKind::RiscvPcrelHi20, &[auipc_a0], P, P + d),
            Ok(vec![0x1234_6517])
        );
        // The low part -8 (0xff8, sign-extended) with the rounded-up upper part.
        assert_eq!(
            patched(HoleKind::RiscvPcrelLo12I, &[ld_a0], P + 4, P + d + 4),
            Ok(vec![0xff85_3503])
        );
        assert!(matches!(
            patched(HoleKind::RiscvPcrelHi20, &[ld_a0], P, P),
            Err(PatchError::BadInstruction { .. })
        ));
        assert!(matches!(
            patched(HoleKind::RiscvPcrelHi20, &[auipc_a0], P, P + (1 << 32)),
            Err(PatchError::OutOfRange { .. })
        ));
    }

    #[test]
    fn call_pairs_and_veneer() {
        // auipc t1, 0; jalr 16(t1) once patched for a target 16 bytes ahead.
        let pair = [AUIPC_T1, 0x0003_00e7];
        assert_eq!(
            patched(HoleKind::RiscvCall, &pair, P, P + 16),
            Ok(vec![AUIPC_T1, 0x0103_00e7])
        );
        let far = patched(HoleKind::RiscvCall, &pair, P, P + (1 << 32));
        assert!(matches!(far, Err(PatchError::OutOfRange { .. })));
        assert!(matches!(
            patched(HoleKind::RiscvCall, &[NOP, NOP], P, P),
            Err(PatchError::BadInstruction { .. })
        ));
        let mut out = [0u8; VENEER_SIZE];
        write_veneer(&mut out, 0x1122_3344_5566_7788);
        assert_eq!(read_u32(&out, 4), LD_T1_16_T1);
        assert_eq!(
            u64::from_le_bytes(out[16..].try_into().unwrap()),
            0x1122_3344_5566_7788
        );
        let pair_bytes: Vec<u8> = pair.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert!(is_call_pair(&pair_bytes, 0));
        assert!(!is_call_pair(&out, 4));
    }
}
