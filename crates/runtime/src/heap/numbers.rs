//! Numbers that do not fit a `Value`: big integers (beyond i64) and exact rationals.

use std::mem::size_of;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::ToPrimitive;

use super::{Heap, HeapObject, Obj, ObjKind, Tracer};
use crate::value::Value;

/// Big integer, always outside the small-int range.
#[repr(C)]
pub struct BigIntObj {
    pub header: Obj,
    pub value: BigInt,
}

/// Exact rational.
#[repr(C)]
pub struct BigRatObj {
    pub header: Obj,
    pub value: BigRational,
}

// SAFETY: repr(C) with the header first, boxed with kind `BigInt` by `Heap::register`, so
// the default `free` matches.
unsafe impl HeapObject for BigIntObj {
    const KIND: ObjKind = ObjKind::BigInt;
    const LEAF: bool = true;
    #[inline]
    fn trace(&self, _: &mut Tracer<'_>) {}
    #[inline]
    fn size_bytes(&self) -> usize {
        size_of::<BigIntObj>() + self.value.bits() as usize / 8
    }
}

// SAFETY: repr(C) with the header first, boxed with kind `BigRat` by `Heap::register`.
unsafe impl HeapObject for BigRatObj {
    const KIND: ObjKind = ObjKind::BigRat;
    const LEAF: bool = true;
    #[inline]
    fn trace(&self, _: &mut Tracer<'_>) {}
    #[inline]
    fn size_bytes(&self) -> usize {
        let r = &self.value;
        size_of::<BigRatObj>() + (r.numer().bits() + r.denom().bits()) as usize / 8
    }
}

impl Heap {
    pub fn alloc_bigrat(&mut self, r: BigRational) -> Value {
        let extra = (r.numer().bits() + r.denom().bits()) as usize / 8;
        self.register(
            BigRatObj {
                header: Obj::new(ObjKind::BigRat),
                value: r,
            },
            extra,
        )
    }

    /// An int value from an i128 (products of two i64): an i64 int when it fits.
    pub fn int128(&mut self, i: i128) -> Value {
        match i64::try_from(i) {
            Ok(i) => Value::int(i),
            Err(_) => self.alloc_bigint_obj(BigInt::from(i)),
        }
    }

    /// An int value from a big integer, normalized: an i64 int when it fits.
    pub fn bigint(&mut self, b: BigInt) -> Value {
        match b.to_i64() {
            Some(i) => Value::int(i),
            None => self.alloc_bigint_obj(b),
        }
    }

    #[cold]
    fn alloc_bigint_obj(&mut self, b: BigInt) -> Value {
        debug_assert!(b.to_i64().is_none());
        let extra = b.bits() as usize / 8;
        self.register(
            BigIntObj {
                header: Obj::new(ObjKind::BigInt),
                value: b,
            },
            extra,
        )
    }

    // ---------------------------------------------------------------- typed access
}
