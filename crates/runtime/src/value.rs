//! The 8-byte value: NaN-boxing.
//!
//! Every frame slot, global, list element and map value is one `Value`. It is
//! self-describing, so the GC finds every heap reference precisely without stack maps.
//!
//! ```text
//!  top 16 bits   payload (48 bits)
//!  < 0xFFF9      a float: the raw IEEE-754 bits (NaNs are the canonical 0x7FF8.. or 0xFFF8..)
//!  0xFFFC        bool: payload 0 or 1
//!  0xFFFD        none: payload 0
//!  0xFFFE        heap pointer (user-space address, 48 bits)
//!  0xFFFF        small int: payload is a 48-bit two's complement integer
//! ```
//!
//! Ints outside `[-2^47, 2^47)` are heap big integers; an int that fits is *always* small
//! (invariant), so small/big never compare equal and equality of small ints is bit equality.
//! The int tag is all ones so one `a & b` tests two operands at once:
//! `(a & b) >> 48 == 0xFFFF` iff both are small ints. Adding two ints is
//! `((a << 16) + (b << 16))` with the CPU's overflow flag telling 48-bit overflow.
//!
//! The layout constants are shared with the C stencils (`jit/stencils/mochi.h`); a test
//! there asserts both sides agree.

use crate::heap::Obj;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Value(pub u64);

pub const TAG_SHIFT: u32 = 48;
pub const TAG_BOOL: u64 = 0xFFFC;
pub const TAG_NONE: u64 = 0xFFFD;
pub const TAG_PTR: u64 = 0xFFFE;
pub const TAG_INT: u64 = 0xFFFF;
/// Smallest top-16-bit pattern that is not a float.
pub const TAG_MIN: u64 = 0xFFF9;
pub const PAYLOAD_MASK: u64 = (1 << 48) - 1;

pub const SMALL_INT_MIN: i64 = -(1 << 47);
pub const SMALL_INT_MAX: i64 = (1 << 47) - 1;

pub const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

impl Value {
    pub const NONE: Value = Value(TAG_NONE << TAG_SHIFT);
    pub const TRUE: Value = Value((TAG_BOOL << TAG_SHIFT) | 1);
    pub const FALSE: Value = Value(TAG_BOOL << TAG_SHIFT);

    #[inline(always)]
    pub fn tag(self) -> u64 {
        self.0 >> TAG_SHIFT
    }

    #[inline(always)]
    pub fn is_float(self) -> bool {
        self.tag() < TAG_MIN
    }
    #[inline(always)]
    pub fn is_small_int(self) -> bool {
        self.tag() == TAG_INT
    }
    #[inline(always)]
    pub fn is_ptr(self) -> bool {
        self.tag() == TAG_PTR
    }
    #[inline(always)]
    pub fn is_none(self) -> bool {
        self.0 == Value::NONE.0
    }
    #[inline(always)]
    pub fn is_bool(self) -> bool {
        self.tag() == TAG_BOOL
    }

    #[inline(always)]
    pub fn float(f: f64) -> Value {
        if f.is_nan() {
            Value(CANONICAL_NAN)
        } else {
            Value(f.to_bits())
        }
    }
    #[inline(always)]
    pub fn as_float(self) -> f64 {
        f64::from_bits(self.0)
    }

    /// A small int. The caller guarantees `SMALL_INT_MIN <= i <= SMALL_INT_MAX`
    /// (use `Heap::int` for any i64).
    #[inline(always)]
    pub fn small_int(i: i64) -> Value {
        debug_assert!((SMALL_INT_MIN..=SMALL_INT_MAX).contains(&i));
        Value((TAG_INT << TAG_SHIFT) | (i as u64 & PAYLOAD_MASK))
    }
    #[inline(always)]
    pub fn fits_small(i: i64) -> bool {
        (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&i)
    }
    #[inline(always)]
    pub fn as_small_int(self) -> i64 {
        ((self.0 << 16) as i64) >> 16
    }

    #[inline(always)]
    pub fn bool(b: bool) -> Value {
        Value((TAG_BOOL << TAG_SHIFT) | b as u64)
    }
    #[inline(always)]
    pub fn as_bool(self) -> bool {
        self.0 & 1 != 0
    }

    #[inline(always)]
    pub fn ptr(p: *mut Obj) -> Value {
        debug_assert!((p as u64) <= PAYLOAD_MASK);
        Value((TAG_PTR << TAG_SHIFT) | p as u64)
    }
    #[inline(always)]
    pub fn as_ptr(self) -> *mut Obj {
        (self.0 & PAYLOAD_MASK) as *mut Obj
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_float() {
            write!(f, "Float({})", self.as_float())
        } else if self.is_small_int() {
            write!(f, "Int({})", self.as_small_int())
        } else if self.is_none() {
            write!(f, "None")
        } else if self.is_bool() {
            write!(f, "Bool({})", self.as_bool())
        } else if self.is_ptr() {
            write!(f, "Ptr({:#x})", self.0 & PAYLOAD_MASK)
        } else {
            write!(f, "Invalid({:#x})", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_int_round_trip_and_edges() {
        for i in [0, 1, -1, SMALL_INT_MIN, SMALL_INT_MAX, 12345, -98765] {
            let v = Value::small_int(i);
            assert!(v.is_small_int() && !v.is_float() && !v.is_ptr());
            assert_eq!(v.as_small_int(), i);
        }
    }

    #[test]
    #[allow(clippy::zero_divided_by_zero)]
    fn floats_never_look_tagged() {
        for f in [
            0.0,
            -0.0,
            1.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN,
        ] {
            let v = Value::float(f);
            assert!(v.is_float(), "{f}");
        }
        assert!(Value::float(0.0 / 0.0).is_float());
    }

    #[test]
    fn both_int_test_by_and() {
        let a = Value::small_int(5);
        let b = Value::small_int(-7);
        assert_eq!((a.0 & b.0) >> 48, TAG_INT);
        assert_ne!((a.0 & Value::float(2.0).0) >> 48, TAG_INT);
        assert_ne!((a.0 & Value::NONE.0) >> 48, TAG_INT);
        assert_ne!((a.0 & Value::TRUE.0) >> 48, TAG_INT);
    }

    #[test]
    fn shifted_add_overflow_detects_48_bit_overflow() {
        let a = Value::small_int(SMALL_INT_MAX);
        let b = Value::small_int(1);
        assert!(
            ((a.0 << 16) as i64)
                .checked_add((b.0 << 16) as i64)
                .is_none()
        );
        let c = Value::small_int(-3);
        let r = ((a.0 << 16) as i64)
            .checked_add((c.0 << 16) as i64)
            .unwrap();
        assert_eq!(r >> 16, SMALL_INT_MAX - 3);
    }
}
