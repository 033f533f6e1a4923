//! The 16-byte value: a payload word and a tag word.
//!
//! Every frame slot, global, list element, struct field and map value is one `Value`. It is
//! self-describing, so the GC finds every heap reference precisely without stack maps.
//!
//! ```text
//!  bits (payload)                       tag
//!  0                                    0   none   (all-zero memory is none)
//!  0 or 1                               1   bool
//!  i64, two's complement                2   int    (every int that fits in 64 bits)
//!  IEEE-754 bits                        3   float
//!  native address                       4   raw    (frame header continuations; not a Mochi value)
//!  object address                       16+ a heap object; the tag is its `ObjKind`
//! ```
//!
//! Ints outside i64 are heap big integers; an int that fits is *always* a tag-2 int
//! (invariant), so i64 and big ints never compare equal, and equality of ints is bit
//! equality. Why 16 bytes rather than an 8-byte NaN-box: a NaN-box leaves 48 bits for ints,
//! and programs that hash, count or multiply past 2^47 fell off a 26x cliff into big ints
//! (ARCHITECTURE.md, decisions). The tag word is always written whole, so derived equality
//! and hashing are bitwise.
//!
//! The layout constants are shared with the C stencils (`jit/stencils/mochi.h`) and the
//! optimizing tier; a test asserts both sides agree.

use crate::heap::{Obj, ObjKind};

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct Value {
    /// The payload: an i64, f64 bits, a bool, or an address.
    pub bits: u64,
    /// What the payload is: one of the `TAG_*` constants, or an `ObjKind` (>= `TAG_OBJ_MIN`).
    pub tag: u64,
}

pub const TAG_NONE: u64 = 0;
pub const TAG_BOOL: u64 = 1;
pub const TAG_INT: u64 = 2;
pub const TAG_FLOAT: u64 = 3;
/// A native address stored in a frame header (a return continuation): never traced.
pub const TAG_RAW: u64 = 4;
/// Tags from this one up are heap references; the tag is the object's kind.
pub const TAG_OBJ_MIN: u64 = 16;

/// Byte offsets of the two words (read by stencils and the optimizing tier).
pub const VALUE_BITS_OFFSET: usize = std::mem::offset_of!(Value, bits);
pub const VALUE_TAG_OFFSET: usize = std::mem::offset_of!(Value, tag);
/// Size of a value, and so of a frame slot.
pub const VALUE_SIZE: usize = std::mem::size_of::<Value>();
const _: () = assert!(VALUE_SIZE == 16);

impl Value {
    pub const NONE: Value = Value {
        bits: 0,
        tag: TAG_NONE,
    };
    pub const TRUE: Value = Value {
        bits: 1,
        tag: TAG_BOOL,
    };
    pub const FALSE: Value = Value {
        bits: 0,
        tag: TAG_BOOL,
    };

    #[inline(always)]
    pub fn is_none(self) -> bool {
        self.tag == TAG_NONE
    }
    #[inline(always)]
    pub fn is_bool(self) -> bool {
        self.tag == TAG_BOOL
    }
    /// An int on the fast path (any i64; big ints are heap objects).
    #[inline(always)]
    pub fn is_int(self) -> bool {
        self.tag == TAG_INT
    }
    #[inline(always)]
    pub fn is_float(self) -> bool {
        self.tag == TAG_FLOAT
    }
    #[inline(always)]
    pub fn is_ptr(self) -> bool {
        self.tag >= TAG_OBJ_MIN
    }

    #[inline(always)]
    pub fn int(i: i64) -> Value {
        Value {
            bits: i as u64,
            tag: TAG_INT,
        }
    }
    /// The payload of an int value (meaningless for other tags).
    #[inline(always)]
    pub fn as_int(self) -> i64 {
        self.bits as i64
    }

    #[inline(always)]
    pub fn float(f: f64) -> Value {
        Value {
            bits: f.to_bits(),
            tag: TAG_FLOAT,
        }
    }
    #[inline(always)]
    pub fn as_float(self) -> f64 {
        f64::from_bits(self.bits)
    }

    #[inline(always)]
    pub fn bool(b: bool) -> Value {
        Value {
            bits: b as u64,
            tag: TAG_BOOL,
        }
    }
    #[inline(always)]
    pub fn as_bool(self) -> bool {
        self.bits != 0
    }

    /// A reference to a heap object of kind `kind`.
    #[inline(always)]
    pub fn object(kind: ObjKind, p: *mut Obj) -> Value {
        Value {
            bits: p as u64,
            tag: kind as u64,
        }
    }
    #[inline(always)]
    pub fn as_ptr(self) -> *mut Obj {
        self.bits as *mut Obj
    }
    /// The kind of the object a heap value refers to, read from the tag (no memory access).
    #[inline(always)]
    pub fn obj_kind(self) -> Option<ObjKind> {
        ObjKind::from_tag(self.tag)
    }

    /// A native address (a return continuation in a frame header).
    #[inline(always)]
    pub fn raw(addr: u64) -> Value {
        Value {
            bits: addr,
            tag: TAG_RAW,
        }
    }
}

impl Default for Value {
    fn default() -> Value {
        Value::NONE
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.tag {
            TAG_NONE => write!(f, "None"),
            TAG_BOOL => write!(f, "Bool({})", self.as_bool()),
            TAG_INT => write!(f, "Int({})", self.as_int()),
            TAG_FLOAT => write!(f, "Float({})", self.as_float()),
            TAG_RAW => write!(f, "Raw({:#x})", self.bits),
            _ => match self.obj_kind() {
                Some(k) => write!(f, "{k:?}({:#x})", self.bits),
                None => write!(f, "Invalid(tag {}, {:#x})", self.tag, self.bits),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_use_all_64_bits() {
        for i in [
            0,
            1,
            -1,
            i64::MIN,
            i64::MAX,
            1 << 47,
            -(1 << 47) - 1,
            1 << 62,
        ] {
            let v = Value::int(i);
            assert!(v.is_int() && !v.is_float() && !v.is_ptr());
            assert_eq!(v.as_int(), i);
        }
    }

    #[test]
    fn floats_keep_their_bits() {
        for f in [0.0, -0.0, 1.5, f64::INFINITY, f64::NEG_INFINITY, f64::MIN] {
            let v = Value::float(f);
            assert!(v.is_float() && !v.is_int());
            assert_eq!(v.as_float().to_bits(), f.to_bits());
        }
        assert!(Value::float(f64::NAN).as_float().is_nan());
    }

    #[test]
    fn zeroed_memory_is_none() {
        // SAFETY: all-zero bits are a valid `Value` (two u64 words).
        let v: Value = unsafe { std::mem::zeroed() };
        assert!(v.is_none());
        assert_eq!(v, Value::NONE);
    }

    #[test]
    fn kinds_of_tags() {
        assert!(!Value::TRUE.is_ptr() && Value::TRUE.is_bool());
        assert!(!Value::raw(0x1000).is_ptr());
        assert_eq!(Value::int(3).obj_kind(), None);
    }
}
