//! String objects: inline bytes, or a prefix of a growable buffer shared by `+`.

use std::alloc::{self, Layout};
use std::mem::{offset_of, size_of};
use std::ptr;

use super::{Heap, HeapObject, Obj, ObjKind, Tracer};
use crate::error::RtResult;
use crate::value::Value;

/// Immutable UTF-8 string: the `byte_len` bytes at `ptr`; `char_len` counts code points.
///
/// Most strings store their bytes inline right after this header (one allocation, see
/// `Heap::alloc_str_bytes`; `buf` is null). A string built by `+` lives in a growable
/// [`StrBuf`] instead, which later concatenations may share: `s + t` where `s` ends at the
/// buffer's last written byte (it is the buffer's *tip*) writes `t` in place after it and
/// returns a new string object over the longer prefix. Strings are immutable and every sharer
/// reads only its own prefix, so sharing is invisible, and the idiom `s = s + t` costs
/// amortized O(len(t)) instead of a copy of `s` (LANGUAGE.md has no other way to build strings).
#[repr(C)]
pub struct StrObj {
    pub header: Obj,
    pub ptr: *mut u8,
    pub byte_len: usize,
    pub char_len: usize,
    /// 1 when every byte is ASCII (code-point index = byte index).
    pub is_ascii: u8,
    /// The shared buffer the bytes live in, or null for inline bytes.
    buf: *mut StrBuf,
}

/// A growable byte buffer shared by the strings built on it (see [`StrObj`]).
struct StrBuf {
    /// String objects whose bytes live here.
    refs: usize,
    /// Bytes written so far (the longest sharer's length).
    used: usize,
    bytes: Vec<u8>,
}

/// Strings shorter than this are concatenated into a fresh inline string: a buffer pays off
/// only when it is appended to again, which short results rarely are.
pub(super) const STR_BUF_MIN: usize = 32;

pub const STR_PTR_OFFSET: usize = offset_of!(StrObj, ptr);
pub const STR_BYTE_LEN_OFFSET: usize = offset_of!(StrObj, byte_len);
pub const STR_CHAR_LEN_OFFSET: usize = offset_of!(StrObj, char_len);
pub const STR_IS_ASCII_OFFSET: usize = offset_of!(StrObj, is_ascii);
const _: () = assert!(STR_PTR_OFFSET == 8 && STR_BYTE_LEN_OFFSET == 16);
const _: () = assert!(STR_CHAR_LEN_OFFSET == 24 && STR_IS_ASCII_OFFSET == 32);

impl StrObj {
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: `ptr`/`byte_len` are the object's inline bytes, copied from a `&str` by
        // `Heap::alloc_str_bytes`, so they are valid UTF-8 for the object's lifetime.
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr, self.byte_len))
        }
    }
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.is_ascii != 0
    }
    /// Byte offset of code point `i` (`i <= char_len`).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() || i == 0 {
            return i.min(self.byte_len);
        }
        if i >= self.char_len {
            return self.byte_len;
        }
        self.as_str()
            .char_indices()
            .nth(i)
            .map_or(self.byte_len, |(b, _)| b)
    }
    /// The code points `[a, b)` (`a <= b <= char_len`).
    pub fn char_slice(&self, a: usize, b: usize) -> &str {
        let s = self.as_str();
        if self.is_ascii() {
            return &s[a..b];
        }
        let start = self.byte_offset(a);
        let end = start
            + s[start..]
                .char_indices()
                .nth(b - a)
                .map_or(s.len() - start, |(o, _)| o);
        &s[start..end]
    }
}

fn str_layout(byte_len: usize) -> Layout {
    Layout::from_size_align(size_of::<StrObj>() + byte_len, 8).expect("string layout")
}

// SAFETY: repr(C) with the header first; every `StrObj` is made with kind `Str` by
// `alloc_str_bytes`/`register_str_view`, and `free` undoes exactly their allocations.
unsafe impl HeapObject for StrObj {
    const KIND: ObjKind = ObjKind::Str;
    const LEAF: bool = true;
    #[inline]
    fn trace(&self, _: &mut Tracer<'_>) {}
    #[inline]
    fn size_bytes(&self) -> usize {
        // A shared buffer is counted once across its sharers.
        // SAFETY: a non-null `buf` is live while any sharer is.
        match unsafe { self.buf.as_ref() } {
            None => size_of::<StrObj>() + self.byte_len,
            Some(b) => size_of::<StrObj>() + b.bytes.capacity() / b.refs.max(1),
        }
    }
    unsafe fn free(p: *mut StrObj) {
        // SAFETY: `p` is live (the contract); an inline string is one `str_layout(byte_len)`
        // allocation, a view a `str_layout(0)` one plus its reference to the buffer.
        unsafe {
            let buf = (*p).buf;
            if buf.is_null() {
                alloc::dealloc(p as *mut u8, str_layout((*p).byte_len));
            } else {
                (*buf).refs -= 1;
                if (*buf).refs == 0 {
                    drop(Box::from_raw(buf));
                }
                alloc::dealloc(p as *mut u8, str_layout(0));
            }
        }
    }
}

impl Heap {
    pub fn alloc_str(&mut self, s: &str) -> Value {
        self.alloc_str_bytes(s)
    }

    pub fn alloc_string(&mut self, s: String) -> Value {
        self.alloc_str_bytes(&s)
    }

    /// A string object with its bytes stored inline after the header: one allocation per
    /// string (string building allocates little else; two mallocs per string cost 2x).
    fn alloc_str_bytes(&mut self, s: &str) -> Value {
        let is_ascii = s.is_ascii();
        let char_len = if is_ascii { s.len() } else { s.chars().count() };
        let byte_len = s.len();
        let layout = str_layout(byte_len);
        // SAFETY: the layout is non-zero sized (the header alone is 40 bytes).
        let p = unsafe { alloc::alloc(layout) } as *mut StrObj;
        if p.is_null() {
            alloc::handle_alloc_error(layout);
        }
        // SAFETY: `p` is a fresh allocation of `str_layout(byte_len)`: the header struct
        // followed by `byte_len` bytes, all written here before any read.
        unsafe {
            let bytes = (p as *mut u8).add(size_of::<StrObj>());
            ptr::copy_nonoverlapping(s.as_ptr(), bytes, byte_len);
            ptr::write(
                p,
                StrObj {
                    header: Obj::new(ObjKind::Str),
                    ptr: bytes,
                    byte_len,
                    char_len,
                    is_ascii: is_ascii as u8,
                    buf: ptr::null_mut(),
                },
            );
        }
        self.adopt(p, layout.size())
    }

    /// `a + b` for two strings (`None` if either is not a string). Appends in place when `a`
    /// is the tip of a growable buffer with room (see [`StrObj`]); otherwise copies both into
    /// a new string, in a buffer with room to grow when the result is long enough.
    pub fn concat_strs(&mut self, a: Value, b: Value) -> Option<RtResult<Value>> {
        let (x, y) = (self.str_obj(a)?, self.str_obj(b)?);
        let total = x.byte_len + y.byte_len;
        if let Err(e) = self.check_alloc(total) {
            return Some(Err(e));
        }
        let char_len = x.char_len + y.char_len;
        let is_ascii = x.is_ascii & y.is_ascii;
        let (xb, yb) = (x.buf, y.as_str().as_bytes());
        // SAFETY: a non-null `buf` is the live buffer `x` shares (freed only with its last
        // sharer); `y`'s bytes are another object's (or, for `s + s`, the same prefix, read
        // before anything is written past it).
        let fits = !xb.is_null()
            && unsafe {
                (*xb).used == x.byte_len && (*xb).bytes.capacity() - x.byte_len >= yb.len()
            };
        if fits {
            // SAFETY: as above; `bytes` has room, so nothing reallocates and every sharer's
            // `ptr` stays valid; bytes past `used` belong to no string yet.
            unsafe {
                let buf = &mut *xb;
                let at = buf.bytes.as_mut_ptr().add(buf.used);
                // `ptr::copy`, not a slice extend: for `s + s` the source is this buffer.
                ptr::copy(yb.as_ptr(), at, yb.len());
                buf.bytes.set_len(total);
                buf.used = total;
                buf.refs += 1;
            }
            return Some(Ok(self.register_str_view(xb, total, char_len, is_ascii)));
        }
        if total < STR_BUF_MIN {
            let mut s = String::with_capacity(total);
            s.push_str(x.as_str());
            s.push_str(self.as_str(b).unwrap_or_default());
            return Some(Ok(self.alloc_string(s)));
        }
        let mut bytes = Vec::with_capacity(total.saturating_mul(2));
        bytes.extend_from_slice(x.as_str().as_bytes());
        bytes.extend_from_slice(yb);
        let buf = Box::into_raw(Box::new(StrBuf {
            refs: 1,
            used: total,
            bytes,
        }));
        self.since_gc += total.saturating_mul(2);
        Some(Ok(self.register_str_view(buf, total, char_len, is_ascii)))
    }

    /// A string object over the first `byte_len` bytes of `buf` (whose `refs` already counts it).
    fn register_str_view(
        &mut self,
        buf: *mut StrBuf,
        byte_len: usize,
        char_len: usize,
        is_ascii: u8,
    ) -> Value {
        let layout = str_layout(0);
        // SAFETY: the layout is non-zero sized; the header is written before any read, and
        // `buf` is live (the caller holds this object's reference to it).
        unsafe {
            let p = alloc::alloc(layout) as *mut StrObj;
            if p.is_null() {
                alloc::handle_alloc_error(layout);
            }
            ptr::write(
                p,
                StrObj {
                    header: Obj::new(ObjKind::Str),
                    ptr: (*buf).bytes.as_mut_ptr(),
                    byte_len,
                    char_len,
                    is_ascii,
                    buf,
                },
            );
            self.adopt(p, layout.size())
        }
    }
}
