//! String objects: inline bytes, or a prefix of a growable buffer shared by `+`.

use std::alloc::{self, Layout};
use std::mem::{offset_of, size_of};
use std::ptr;

use super::{Heap, HeapObject, Obj, ObjKind, Tracer};
use crate::error::RtResult;
use crate::map::KeyFacts;
use crate::value::Value;

/// Immutable UTF-8 string: the `byte_len` bytes at `ptr`; `char_len` counts code points.
///
/// 32 bytes, so that the short strings big heaps are full of (a key, a word, a number) fit
/// a 40- or 48-byte allocation (ARCHITECTURE.md, 2026-12-06): the ASCII and view flags live
/// in the header's `aux` byte, and a view finds its buffer from `ptr` (the buffer's bytes
/// follow its header).
///
/// Most strings store their bytes inline right after this header (one allocation, see
/// `Heap::alloc_str_bytes`). A string built by `+` may be a *view* of a growable
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
}

/// `header.aux` bit: every byte is ASCII (code-point index = byte index).
const STR_ASCII: u8 = 1;
/// `header.aux` bit: the bytes live in a shared [`StrBuf`] (`ptr` points into it).
const STR_VIEW: u8 = 2;

/// The header of a byte buffer shared by the strings built on it (see [`StrObj`]): one
/// allocation, `cap` bytes following the header. A buffer never grows; a concatenation
/// that does not fit makes a new one.
#[repr(C)]
struct StrBuf {
    /// String objects whose bytes live here.
    refs: usize,
    /// Bytes written so far (the longest sharer's length).
    used: usize,
    /// Bytes of room after the header.
    cap: usize,
}

impl StrBuf {
    fn layout(cap: usize) -> Layout {
        Layout::from_size_align(size_of::<StrBuf>() + cap, 8).expect("string buffer layout")
    }

    /// A buffer (refs 1) with room for `cap` bytes, starting with `head` then `tail`.
    fn new(cap: usize, head: &[u8], tail: &[u8]) -> *mut StrBuf {
        let used = head.len() + tail.len();
        debug_assert!(used <= cap);
        let layout = StrBuf::layout(cap);
        // SAFETY: the layout is non-zero sized (the header); the header and the first
        // `used` bytes are written before any read, and nothing reads past `used`.
        unsafe {
            let p = alloc::alloc(layout) as *mut StrBuf;
            if p.is_null() {
                alloc::handle_alloc_error(layout);
            }
            ptr::write(p, StrBuf { refs: 1, used, cap });
            let bytes = StrBuf::bytes(p);
            ptr::copy_nonoverlapping(head.as_ptr(), bytes, head.len());
            ptr::copy_nonoverlapping(tail.as_ptr(), bytes.add(head.len()), tail.len());
            p
        }
    }

    /// The first byte after the header.
    fn bytes(p: *mut StrBuf) -> *mut u8 {
        // SAFETY: in bounds of the allocation (`StrBuf::new`): one past the header.
        unsafe { p.add(1) as *mut u8 }
    }

    /// Drops one sharer; frees the buffer with its last.
    ///
    /// # Safety
    /// `p` is a live buffer and the caller one of its sharers, gone afterwards.
    unsafe fn release(p: *mut StrBuf) {
        // SAFETY: per the contract.
        unsafe {
            (*p).refs -= 1;
            if (*p).refs == 0 {
                alloc::dealloc(p as *mut u8, StrBuf::layout((*p).cap));
            }
        }
    }
}

/// Strings shorter than this are concatenated into a fresh inline string: a buffer pays off
/// only when it is appended to again, which short results rarely are.
pub(super) const STR_BUF_MIN: usize = 32;

pub const STR_PTR_OFFSET: usize = offset_of!(StrObj, ptr);
pub const STR_BYTE_LEN_OFFSET: usize = offset_of!(StrObj, byte_len);
pub const STR_CHAR_LEN_OFFSET: usize = offset_of!(StrObj, char_len);
const _: () = assert!(STR_PTR_OFFSET == 8 && STR_BYTE_LEN_OFFSET == 16);
const _: () = assert!(STR_CHAR_LEN_OFFSET == 24 && size_of::<StrObj>() == 32);

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
        self.header.aux & STR_ASCII != 0
    }
    /// The shared buffer a view's bytes live in, or null for inline bytes.
    #[inline]
    fn buf(&self) -> *mut StrBuf {
        if self.header.aux & STR_VIEW == 0 {
            return ptr::null_mut();
        }
        // A view's bytes start right after its buffer's header (`register_str_view`).
        self.ptr.wrapping_sub(size_of::<StrBuf>()) as *mut StrBuf
    }
    /// What a map needs of this string as a key: its text hash and whether it is the
    /// canonical text of an int (`"12"` is the int key 12). Computed on first use and
    /// cached in the header, so a string used as a key again is not hashed again.
    #[inline]
    pub(crate) fn key_facts(&self) -> KeyFacts {
        let cached = self.header.cache.get();
        if cached != 0 {
            return KeyFacts(cached);
        }
        let facts = KeyFacts::of(self.as_str());
        self.header.cache.set(facts.0);
        facts
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
                .map_or(s.len() - start, |(off, _)| off);
        &s[start..end]
    }
}

/// Code points between two recorded byte offsets in a [`CharIndex`].
const CRUMB_EVERY: usize = 32;
/// Non-ASCII strings with fewer code points are scanned from their start: a scan of at most
/// this many code points costs less than keeping an index.
const CRUMB_MIN_CHARS: usize = 2 * CRUMB_EVERY;

/// Where the code points of a long non-ASCII string start, so that `s[i]` and slices find
/// code point `i` in O(1) instead of scanning from byte 0 (a loop over `s[i]` would be
/// quadratic). Built on the first index into the string and kept by the heap, keyed by the
/// object's address ([`Heap::alloc_substr`]), until the collection that frees the object
/// ([`Heap::prune_char_indexes`]). Strings are immutable, so an index never goes stale.
pub(super) struct CharIndex {
    /// `crumbs[k]`: the byte offset of code point `k * CRUMB_EVERY`.
    crumbs: Box<[u32]>,
    /// The last code point looked up and its byte offset: loops that step through a string
    /// forwards or backwards move from it by one code point.
    cur_char: usize,
    cur_byte: usize,
}

/// The heap's [`CharIndex`]es, by string object address.
pub(super) type CharIndexes = rustc_hash::FxHashMap<usize, CharIndex>;

/// Length of the UTF-8 sequence that starts with `lead`.
#[inline]
fn utf8_width(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0x80..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// The byte offset `n` code points after the code point boundary `at` of `bytes`.
#[inline]
fn skip_forward(bytes: &[u8], mut at: usize, n: usize) -> usize {
    for _ in 0..n {
        at += utf8_width(bytes[at]);
    }
    at
}

/// The byte offset `n` code points before the code point boundary `at` of `bytes`.
#[inline]
fn skip_backward(bytes: &[u8], mut at: usize, n: usize) -> usize {
    for _ in 0..n {
        at -= 1;
        while bytes[at] & 0xC0 == 0x80 {
            at -= 1;
        }
    }
    at
}

impl CharIndex {
    fn build(bytes: &[u8], char_len: usize) -> CharIndex {
        let mut crumbs = Vec::with_capacity(char_len / CRUMB_EVERY + 1);
        let mut c = 0usize;
        for (b, &byte) in bytes.iter().enumerate() {
            if byte & 0xC0 != 0x80 {
                if c.is_multiple_of(CRUMB_EVERY) {
                    crumbs.push(b as u32);
                }
                c += 1;
            }
        }
        CharIndex {
            crumbs: crumbs.into_boxed_slice(),
            cur_char: 0,
            cur_byte: 0,
        }
    }

    /// Byte offset of code point `i` (`i < char_len`) in `bytes`, the indexed string's.
    fn offset(&mut self, bytes: &[u8], i: usize) -> usize {
        let k = i / CRUMB_EVERY;
        let base_char = k * CRUMB_EVERY;
        let (c, b) = (self.cur_char, self.cur_byte);
        let at = if (base_char..=i).contains(&c) {
            skip_forward(bytes, b, i - c)
        } else if c > i && c - i < i - base_char {
            skip_backward(bytes, b, c - i)
        } else {
            skip_forward(bytes, self.crumbs[k] as usize, i - base_char)
        };
        self.cur_char = i;
        self.cur_byte = at;
        at
    }
}

/// The strings of at most one byte, one object each per heap: `""` and the 128 ASCII
/// characters. Programs that walk strings make one per character (`s[i]`, `substring`),
/// and big heaps fill with them; shared, they cost no allocation and no garbage (CPython
/// shares them too). Nothing observes the sharing: strings compare by value.
pub(super) struct TinyStrs([*mut StrObj; 129]);

impl Default for TinyStrs {
    fn default() -> TinyStrs {
        TinyStrs([ptr::null_mut(); 129])
    }
}

impl TinyStrs {
    /// The slot of `s` if it is a tiny string: its byte, or 128 for `""`.
    #[inline]
    fn slot(s: &str) -> Option<usize> {
        match s.as_bytes() {
            [] => Some(128),
            [b] => Some(*b as usize), // one byte of UTF-8 is ASCII
            _ => None,
        }
    }

    /// Frees every object made (the heap is being dropped).
    pub(super) fn free_all(&mut self) {
        for p in &mut self.0 {
            if !p.is_null() {
                // SAFETY: made by `new_inline_str`, owned by this table alone, freed once.
                unsafe { StrObj::free(*p) };
                *p = ptr::null_mut();
            }
        }
    }
}

/// A new string object with its bytes inline, not yet owned by a heap.
fn new_inline_str(s: &str) -> *mut StrObj {
    let is_ascii = s.is_ascii();
    let char_len = if is_ascii { s.len() } else { s.chars().count() };
    let byte_len = s.len();
    let layout = str_layout(byte_len);
    // SAFETY: the layout is non-zero sized (the header alone is 32 bytes).
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
                header: Obj::with_aux(ObjKind::Str, if is_ascii { STR_ASCII } else { 0 }),
                ptr: bytes,
                byte_len,
                char_len,
            },
        );
    }
    p
}

/// The right operand of a concatenation: UTF-8 bytes and what is known of them.
struct Tail {
    ptr: *const u8,
    len: usize,
    chars: usize,
    ascii: bool,
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
        match unsafe { self.buf().as_ref() } {
            None => size_of::<StrObj>() + self.byte_len,
            Some(b) => size_of::<StrObj>() + (size_of::<StrBuf>() + b.cap) / b.refs.max(1),
        }
    }
    unsafe fn free(p: *mut StrObj) {
        // SAFETY: `p` is live (the contract); an inline string is one `str_layout(byte_len)`
        // allocation, a view a `str_layout(0)` one plus its share of the buffer.
        unsafe {
            let buf = (*p).buf();
            if buf.is_null() {
                alloc::dealloc(p as *mut u8, str_layout((*p).byte_len));
            } else {
                StrBuf::release(buf);
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
    /// Strings of at most one byte are the heap's shared ones (see [`TinyStrs`]).
    fn alloc_str_bytes(&mut self, s: &str) -> Value {
        if let Some(v) = self.tiny_str(s) {
            return v;
        }
        let p = new_inline_str(s);
        self.adopt(p, str_layout(s.len()).size())
    }

    /// The shared object of a string of at most one byte, made on first use.
    #[inline]
    fn tiny_str(&mut self, s: &str) -> Option<Value> {
        let slot = TinyStrs::slot(s)?;
        let mut p = self.tiny_strs.0[slot];
        if p.is_null() {
            // Not the heap's to collect: never in `objects`, so no sweep sees it, and marked
            // for good, so tracing stops at it.
            p = new_inline_str(s);
            // SAFETY: `p` is the live object just made.
            unsafe { (*p).header.marked = 1 };
            self.tiny_strs.0[slot] = p;
        }
        Some(Value::object(ObjKind::Str, p as *mut Obj))
    }

    /// The code points `[a, b)` of string `v` (`a <= b <= char_len`) as a new string, copied
    /// once from `v`'s bytes (`None` if `v` is not a string). Long non-ASCII strings find
    /// their code points through a [`CharIndex`], made on first use.
    pub fn alloc_substr(&mut self, v: Value, a: usize, b: usize) -> Option<Value> {
        let o: *const StrObj = self.str_obj(v)?;
        // SAFETY: `v` is a live string, and nothing below collects or frees it (allocation
        // never collects); its bytes are not part of `self`, only pointed to.
        let o = unsafe { &*o };
        let s = o.as_str();
        let (x, y) = if o.is_ascii() {
            (a, b)
        } else if o.char_len < CRUMB_MIN_CHARS || o.byte_len > u32::MAX as usize {
            let bytes = s.as_bytes();
            let x = skip_forward(bytes, 0, a);
            (x, skip_forward(bytes, x, b - a))
        } else {
            let bytes = s.as_bytes();
            let end = |index: &mut CharIndex, i: usize| {
                if i >= o.char_len {
                    o.byte_len
                } else {
                    index.offset(bytes, i)
                }
            };
            let index = match self.char_indexes.entry(o as *const StrObj as usize) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let index = CharIndex::build(bytes, o.char_len);
                    self.since_gc += index.crumbs.len() * size_of::<u32>();
                    e.insert(index)
                }
            };
            let x = end(index, a);
            let y = if b - a <= CRUMB_EVERY {
                skip_forward(bytes, x, b - a)
            } else {
                end(index, b)
            };
            (x, y)
        };
        Some(self.alloc_str_bytes(&s[x..y]))
    }

    /// Drops the [`CharIndex`]es of the strings the current collection is about to free:
    /// called between marking and sweeping, when an unmarked string is garbage.
    pub(super) fn prune_char_indexes(&mut self) {
        if self.char_indexes.is_empty() {
            return;
        }
        // SAFETY: every key is a live string object of this heap: entries are dropped here,
        // before the sweep frees their objects.
        self.char_indexes
            .retain(|&p, _| unsafe { (*(p as *const Obj)).marked != 0 });
    }

    /// `a + b` for two strings (`None` if either is not a string). Appends in place when `a`
    /// is the tip of a growable buffer with room (see [`StrObj`]); otherwise copies both into
    /// a new string, in a buffer with room to grow when the result is long enough.
    pub fn concat_strs(&mut self, a: Value, b: Value) -> Option<RtResult<Value>> {
        let y = self.str_obj(b)?;
        let tail = Tail {
            ptr: y.ptr,
            len: y.byte_len,
            chars: y.char_len,
            ascii: y.is_ascii(),
        };
        // SAFETY: `b` is a live string, and nothing below collects or frees.
        unsafe { self.concat_tail(a, tail) }
    }

    /// `a + t` for a string `a` and text from outside the heap (`None` if `a` is not a
    /// string): `s + str(x)` without a string object for `str(x)`.
    pub fn concat_str_text(&mut self, a: Value, t: &str) -> Option<RtResult<Value>> {
        let ascii = t.is_ascii();
        let tail = Tail {
            ptr: t.as_ptr(),
            len: t.len(),
            chars: if ascii { t.len() } else { t.chars().count() },
            ascii,
        };
        // SAFETY: `t` is valid UTF-8 for the call.
        unsafe { self.concat_tail(a, tail) }
    }

    /// `a + tail`, the body of [`Self::concat_strs`] and [`Self::concat_str_text`].
    ///
    /// # Safety
    /// `tail` describes valid UTF-8 bytes that stay readable for the call (they may be a
    /// prefix of `a`'s own buffer: `s + s`).
    unsafe fn concat_tail(&mut self, a: Value, tail: Tail) -> Option<RtResult<Value>> {
        let x = self.str_obj(a)?;
        let total = x.byte_len + tail.len;
        if let Err(e) = self.check_alloc(total) {
            return Some(Err(e));
        }
        let char_len = x.char_len + tail.chars;
        let is_ascii = x.is_ascii() && tail.ascii;
        let xb = x.buf();
        // SAFETY: the caller's contract.
        let yb = unsafe { std::slice::from_raw_parts(tail.ptr, tail.len) };
        // SAFETY: a non-null `buf` is the live buffer `x` shares (freed only with its last
        // sharer); the tail's bytes, if in this buffer, are a written prefix (`s + s`), read
        // before anything is written past it.
        let fits = !xb.is_null()
            && unsafe { (*xb).used == x.byte_len && (*xb).cap - x.byte_len >= yb.len() };
        if fits {
            // SAFETY: as above; the buffer has room, and bytes past `used` belong to no
            // string yet.
            unsafe {
                let at = StrBuf::bytes(xb).add((*xb).used);
                // `ptr::copy`: for `s + s` the source is this buffer.
                ptr::copy(yb.as_ptr(), at, yb.len());
                (*xb).used = total;
                (*xb).refs += 1;
            }
            return Some(Ok(self.register_str_view(xb, total, char_len, is_ascii)));
        }
        if total < STR_BUF_MIN {
            let mut s = String::with_capacity(total);
            s.push_str(x.as_str());
            // SAFETY: the tail is valid UTF-8 (the caller's contract).
            s.push_str(unsafe { std::str::from_utf8_unchecked(yb) });
            return Some(Ok(self.alloc_string(s)));
        }
        let cap = total.saturating_mul(2);
        let buf = StrBuf::new(cap, x.as_str().as_bytes(), yb);
        self.since_gc += cap;
        Some(Ok(self.register_str_view(buf, total, char_len, is_ascii)))
    }

    /// A string object over the first `byte_len` bytes of `buf` (whose `refs` already counts it).
    fn register_str_view(
        &mut self,
        buf: *mut StrBuf,
        byte_len: usize,
        char_len: usize,
        is_ascii: bool,
    ) -> Value {
        let layout = str_layout(0);
        // SAFETY: the layout is non-zero sized; the header is written before any read, and
        // `buf` is live (the caller holds this object's reference to it).
        unsafe {
            let p = alloc::alloc(layout) as *mut StrObj;
            if p.is_null() {
                alloc::handle_alloc_error(layout);
            }
            let aux = STR_VIEW | if is_ascii { STR_ASCII } else { 0 };
            ptr::write(
                p,
                StrObj {
                    header: Obj::with_aux(ObjKind::Str, aux),
                    ptr: StrBuf::bytes(buf),
                    byte_len,
                    char_len,
                },
            );
            self.adopt(p, layout.size())
        }
    }
}
