//! x86_64 holes: 32-bit PC-relative displacements (absolute words are in the parent module,
//! shared by all targets), plus the 14-byte veneer `jmp [rip+0]; .quad addr` for branches
//! whose target is beyond ±2 GiB.

use super::{PatchError, read_u32, write_u32};
use crate::stencil::HoleKind;

/// Size of a veneer in bytes.
pub const VENEER_SIZE: usize = 14;

/// Writes a veneer jumping to `target` at `out[..VENEER_SIZE]`: `jmp qword [rip+0]` followed by
/// the absolute address. Position-independent, so it is written once and copied anywhere.
pub fn write_veneer(out: &mut [u8], target: u64) {
    out[..6].copy_from_slice(&[0xff, 0x25, 0, 0, 0, 0]);
    out[6..14].copy_from_slice(&target.to_le_bytes());
}

/// Whether the 32-bit field at `offset` is the displacement of a `call`, `jmp` or `jcc`
/// (the only PC-relative fields a veneer can stand in for).
pub fn is_branch_field(code: &[u8], offset: usize) -> bool {
    // A rip-relative memory operand puts a ModRM byte (mod=00, rm=101: 0x05..0x3d) right
    // before the field, which never collides with these opcodes.
    (offset >= 1 && matches!(code[offset - 1], 0xe8 | 0xe9))
        || (offset >= 2 && code[offset - 2] == 0x0f && (code[offset - 1] & 0xf0) == 0x80)
}

/// Writes `value - place` into the `Rel32` field at `offset` when it fits and the field lies
/// in `code`; false otherwise, leaving the error (or the veneer) to [`super::apply`]. The
/// stitcher's most common patch (every branch and call), so it skips `apply`'s dispatch.
#[inline(always)]
pub(crate) fn try_write_rel32(code: &mut [u8], offset: usize, place: u64, value: u64) -> bool {
    let distance = value.wrapping_sub(place) as i64;
    match (i32::try_from(distance), code.get_mut(offset..offset + 4)) {
        (Ok(narrow), Some(field)) => {
            field.copy_from_slice(&narrow.to_le_bytes());
            true
        }
        _ => false,
    }
}

/// Patches a `Rel32` field: `S - P` as a signed 32-bit displacement.
pub(super) fn patch(
    kind: HoleKind,
    code: &mut [u8],
    offset: usize,
    place: u64,
    value: u64,
) -> Result<(), PatchError> {
    if kind != HoleKind::Rel32 {
        return Err(PatchError::BadInstruction {
            kind,
            offset,
            found: read_u32(code, offset),
        });
    }
    let distance = value.wrapping_sub(place) as i64;
    let narrow = i32::try_from(distance).map_err(|_| PatchError::OutOfRange {
        kind,
        offset,
        value: distance,
    })?;
    write_u32(code, offset, narrow as u32);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply;

    #[test]
    fn ranges_are_checked() {
        let mut code = [0u8; 8];
        assert!(apply(HoleKind::Abs32, &mut code, 0, 0, u32::MAX as u64).is_ok());
        assert!(matches!(
            apply(HoleKind::Abs32, &mut code, 0, 0, 1 << 32),
            Err(PatchError::OutOfRange { .. })
        ));
        assert!(apply(HoleKind::Abs32Signed, &mut code, 0, 0, (-5i64) as u64).is_ok());
        assert_eq!(read_u32(&code, 0), (-5i32) as u32);
        assert!(matches!(
            apply(HoleKind::Abs32Signed, &mut code, 0, 0, 0x8000_0000),
            Err(PatchError::OutOfRange { .. })
        ));
        assert!(
            apply(
                HoleKind::Rel32,
                &mut code,
                0,
                0x1_0000_0000,
                0x1_0000_0000 - (1 << 31)
            )
            .is_ok()
        );
        assert!(matches!(
            apply(
                HoleKind::Rel32,
                &mut code,
                0,
                0x1_0000_0000,
                0x1_0000_0000 + (1 << 31)
            ),
            Err(PatchError::OutOfRange { .. })
        ));
        assert!(matches!(
            apply(HoleKind::Abs64, &mut code, 1, 0, 0),
            Err(PatchError::HoleOutOfBounds { .. })
        ));
        apply(HoleKind::Abs64, &mut code, 0, 0, 0x0102_0304_0506_0708).unwrap();
        assert_eq!(code, [8, 7, 6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn veneer_and_branch_shapes() {
        let mut out = [0u8; VENEER_SIZE];
        write_veneer(&mut out, 0x1122_3344_5566_7788);
        assert_eq!(out[..6], [0xff, 0x25, 0, 0, 0, 0]);
        assert!(is_branch_field(&[0xe8, 0, 0, 0, 0], 1));
        assert!(is_branch_field(&[0x0f, 0x84, 0, 0, 0, 0], 2));
        // mov rax, [rip+disp32]
        assert!(!is_branch_field(&[0x48, 0x8b, 0x05, 0, 0, 0, 0], 3));
    }
}
