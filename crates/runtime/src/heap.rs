//! Heap objects, their C-compatible layouts, and the non-moving mark-sweep GC.
//!
//! Every object is a `#[repr(C)]` struct that starts with the 8-byte [`Obj`] header
//! (`kind` at byte 0, mark bit at byte 1). A heap reference [`Value`] points at the header.
//! The layouts of `StrObj`, `ListObj`, `StructObj`, `ClosureObj` and `CellObj` are read by
//! the JIT's C stencils; their offsets are `pub const`s asserted below at compile time.
//!
//! GC contract:
//! * Allocation never collects; it only accounts bytes. The interpreter asks
//!   [`Heap::should_collect`] at safepoints and then calls [`Heap::collect`] with *every*
//!   live value (VM stack slots, globals, constants) as roots.
//! * A `Value` that was not reachable from the roots of a collection is dangling afterwards;
//!   using it is a bug in the caller (as in every precise GC).
//! * Marking uses an explicit stack, never native recursion.
//!
//! All `unsafe` of the runtime's object model lives here; accessors hand out references
//! tied to `&Heap` / `&mut Heap`, so the borrow checker keeps readers and writers apart.

use std::alloc::{self, Layout};
use std::mem::{offset_of, size_of};
use std::ptr;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::ToPrimitive;

use crate::error::{RtResult, RuntimeError};
use crate::map::KeyRef;
pub use crate::map::{MapObj, canonical_int};
use crate::value::{VALUE_SIZE, Value};

/// Object kind, stored in byte 0 of every object and, for a heap reference, as its value tag.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjKind {
    Str = 16,
    List = 17,
    Map = 18,
    Struct = 19,
    Closure = 20,
    Cell = 21,
    BigInt = 22,
    BigRat = 23,
    Partial = 24,
}

impl ObjKind {
    /// The kind a value tag names (`None` for immediates): a heap value's tag is its kind.
    #[inline(always)]
    pub fn from_tag(tag: u64) -> Option<ObjKind> {
        Some(match tag {
            16 => ObjKind::Str,
            17 => ObjKind::List,
            18 => ObjKind::Map,
            19 => ObjKind::Struct,
            20 => ObjKind::Closure,
            21 => ObjKind::Cell,
            22 => ObjKind::BigInt,
            23 => ObjKind::BigRat,
            24 => ObjKind::Partial,
            _ => return None,
        })
    }
}
const _: () = assert!(ObjKind::Str as u64 == crate::value::TAG_OBJ_MIN);

/// Common 8-byte header of every heap object.
#[repr(C)]
pub struct Obj {
    pub kind: ObjKind,
    /// Mark bit (0/1), only meaningful during a collection.
    pub marked: u8,
    _pad: [u8; 6],
}

impl Obj {
    pub(crate) fn new(kind: ObjKind) -> Obj {
        Obj {
            kind,
            marked: 0,
            _pad: [0; 6],
        }
    }
}

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
const STR_BUF_MIN: usize = 32;

/// Growable list: `items[0..len]` are the elements, `cap` the capacity of the buffer
/// `items` points into (null when `cap == 0`).
///
/// Buffers may be shared: `append(xs, v)` returns a new list object that reuses `xs`'s
/// buffer when `xs` ends at the buffer's last used slot and there is room, so the idiom
/// `xs = append(xs, v)` is amortized O(1) instead of a copy per call. A [`ListBuf`] header
/// before `items[0]` counts the list objects sharing the buffer; a list copies its buffer
/// before any in-place write while it is shared (copy on write), so sharing is never
/// visible. All mutation goes through `ListObj::items_mut`/`Heap::list_set`/`list_push`.
#[repr(C)]
pub struct ListObj {
    pub header: Obj,
    pub items: *mut Value,
    pub len: usize,
    pub cap: usize,
}

/// A struct type's runtime descriptor; owned by the program and never freed while any
/// object uses it (hence `&'static`: leak it once per program).
#[derive(Debug, Clone)]
pub struct StructDesc {
    pub name: String,
    /// Field names in declaration order (= slot order in `StructObj`).
    pub fields: Vec<String>,
    /// Field indices in print order: byte-wise order of the name, `__name` merged in
    /// where it sorts (`usize::MAX` stands for `__name`).
    pub print_order: Vec<usize>,
}

impl StructDesc {
    pub fn new(name: impl Into<String>, fields: Vec<String>) -> StructDesc {
        let mut order: Vec<usize> = (0..fields.len()).collect();
        order.push(usize::MAX);
        let key = |i: &usize| -> String {
            if *i == usize::MAX {
                "__name".to_string()
            } else {
                fields[*i].clone()
            }
        };
        order.sort_by_key(key);
        StructDesc {
            name: name.into(),
            fields,
            print_order: order,
        }
    }
    /// Index of a field by name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

/// Struct instance: header, descriptor, field count, then `len` Values inline.
#[repr(C)]
pub struct StructObj {
    pub header: Obj,
    pub desc: *const StructDesc,
    pub len: usize,
    pub fields: [Value; 0],
}

/// Function value: bytecode function index plus captured cells (a `Box<[Value]>`).
#[repr(C)]
pub struct ClosureObj {
    pub header: Obj,
    pub func: u32,
    pub captures: *mut Value,
    pub ncaptures: usize,
}

/// A captured variable.
#[repr(C)]
pub struct CellObj {
    pub header: Obj,
    pub value: Value,
}

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

/// Partial application: `callee` (a function value) with `args` bound first.
#[repr(C)]
pub struct PartialObj {
    pub header: Obj,
    pub callee: Value,
    pub args: Box<[Value]>,
}

pub const OBJ_KIND_OFFSET: usize = offset_of!(Obj, kind);
pub const OBJ_MARK_OFFSET: usize = offset_of!(Obj, marked);
pub const STR_PTR_OFFSET: usize = offset_of!(StrObj, ptr);
pub const STR_BYTE_LEN_OFFSET: usize = offset_of!(StrObj, byte_len);
pub const STR_CHAR_LEN_OFFSET: usize = offset_of!(StrObj, char_len);
pub const STR_IS_ASCII_OFFSET: usize = offset_of!(StrObj, is_ascii);
pub const LIST_ITEMS_OFFSET: usize = offset_of!(ListObj, items);
pub const LIST_LEN_OFFSET: usize = offset_of!(ListObj, len);
pub const LIST_CAP_OFFSET: usize = offset_of!(ListObj, cap);
pub const STRUCT_DESC_OFFSET: usize = offset_of!(StructObj, desc);
pub const STRUCT_LEN_OFFSET: usize = offset_of!(StructObj, len);
pub const STRUCT_FIELDS_OFFSET: usize = offset_of!(StructObj, fields);
pub const CLOSURE_FUNC_OFFSET: usize = offset_of!(ClosureObj, func);
pub const CLOSURE_CAPTURES_OFFSET: usize = offset_of!(ClosureObj, captures);
pub const CLOSURE_NCAPTURES_OFFSET: usize = offset_of!(ClosureObj, ncaptures);
pub const CELL_VALUE_OFFSET: usize = offset_of!(CellObj, value);

const _: () = assert!(size_of::<Obj>() == 8);
const _: () = assert!(OBJ_KIND_OFFSET == 0 && OBJ_MARK_OFFSET == 1);
const _: () = assert!(STR_PTR_OFFSET == 8 && STR_BYTE_LEN_OFFSET == 16);
const _: () = assert!(STR_CHAR_LEN_OFFSET == 24 && STR_IS_ASCII_OFFSET == 32);
const _: () = assert!(LIST_ITEMS_OFFSET == 8 && LIST_LEN_OFFSET == 16 && LIST_CAP_OFFSET == 24);
const _: () = assert!(STRUCT_DESC_OFFSET == 8 && STRUCT_LEN_OFFSET == 16);
const _: () = assert!(STRUCT_FIELDS_OFFSET == 24);
const _: () = assert!(CLOSURE_FUNC_OFFSET == 8 && CLOSURE_CAPTURES_OFFSET == 16);
const _: () = assert!(CLOSURE_NCAPTURES_OFFSET == 24 && CELL_VALUE_OFFSET == 8);
const _: () = assert!(size_of::<Value>() == 16);

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

/// Header of a list buffer, in the 16 bytes before `items[0]`.
#[repr(C)]
pub struct ListBuf {
    /// List objects whose `items` point into this buffer.
    pub refs: usize,
    /// Slots written so far (the longest sharer's length).
    pub used: usize,
}

/// Offset of `ListBuf::refs` relative to `items` (read by the JIT's list store stencil).
pub const LIST_BUF_REFS_OFFSET: isize = -(size_of::<ListBuf>() as isize);

fn buf_layout(cap: usize) -> Layout {
    Layout::from_size_align(size_of::<ListBuf>() + cap * size_of::<Value>(), 8)
        .expect("list buffer layout")
}

/// A fresh buffer of `cap >= 1` slots (refs 1, used 0); returns its `items` pointer.
fn new_buf(cap: usize) -> *mut Value {
    let layout = buf_layout(cap);
    // SAFETY: the layout is non-zero sized (16-byte header).
    let p = unsafe { alloc::alloc(layout) };
    if p.is_null() {
        alloc::handle_alloc_error(layout);
    }
    // SAFETY: `p` is a fresh allocation with room for the header; items follow it.
    unsafe {
        ptr::write(p as *mut ListBuf, ListBuf { refs: 1, used: 0 });
        p.add(size_of::<ListBuf>()) as *mut Value
    }
}

/// The header of the buffer `items` points into.
///
/// # Safety
/// `items` must be non-null and come from `new_buf`.
unsafe fn buf_of(items: *mut Value) -> *mut ListBuf {
    // SAFETY: `new_buf` put the header right before `items`.
    unsafe { (items as *mut u8).sub(size_of::<ListBuf>()) as *mut ListBuf }
}

impl ListObj {
    #[inline]
    pub fn items(&self) -> &[Value] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `items[0..len]` are initialized slots of this list's buffer.
        unsafe { std::slice::from_raw_parts(self.items, self.len) }
    }

    /// The elements, writable: first makes the buffer this list's own if it is shared.
    #[inline]
    pub fn items_mut(&mut self) -> &mut [Value] {
        if self.len == 0 {
            return &mut [];
        }
        self.make_unique();
        // SAFETY: as in `items`; the buffer is unshared and `&mut self` is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.items, self.len) }
    }

    /// Whether another list object shares this list's buffer.
    #[inline]
    pub fn is_shared(&self) -> bool {
        // SAFETY: a non-null `items` comes from `new_buf`.
        !self.items.is_null() && unsafe { (*buf_of(self.items)).refs } > 1
    }

    /// Copies a shared buffer so that in-place writes stay private to this list.
    fn make_unique(&mut self) {
        if self.is_shared() {
            self.reallocate(self.cap.max(1));
        }
    }

    /// Moves the elements into a fresh buffer of `cap >= len` slots (private to this list).
    fn reallocate(&mut self, cap: usize) {
        let fresh = new_buf(cap);
        // SAFETY: `fresh` has `cap >= len` slots; the old buffer holds `len` initialized ones
        // and is released exactly once here (this object's reference to it).
        unsafe {
            if self.len > 0 {
                ptr::copy_nonoverlapping(self.items, fresh, self.len);
            }
            (*buf_of(fresh)).used = self.len;
            release_buf(self.items, self.cap);
        }
        self.items = fresh;
        self.cap = cap;
    }

    /// Grows to `new_len` elements (new slots `none`) in a private buffer.
    fn resize(&mut self, new_len: usize) {
        if new_len > self.cap || self.is_shared() {
            let cap = if new_len > self.cap {
                new_len.max(self.cap.saturating_mul(2)).max(4)
            } else {
                self.cap
            };
            self.reallocate(cap);
        }
        for i in self.len..new_len {
            // SAFETY: `i < new_len <= cap` and the buffer is private.
            unsafe { *self.items.add(i) = Value::NONE };
        }
        self.len = new_len;
        // SAFETY: the buffer is non-null (cap >= new_len > 0 or unchanged) and private.
        unsafe {
            if !self.items.is_null() {
                (*buf_of(self.items)).used = new_len;
            }
        }
    }
}

/// Drops one list object's reference to a buffer, freeing it with the last one.
///
/// # Safety
/// `items` must be null or a buffer from `new_buf` with capacity `cap`, referenced by the
/// caller, which gives up that reference.
unsafe fn release_buf(items: *mut Value, cap: usize) {
    if items.is_null() {
        return;
    }
    // SAFETY: per the contract, the header is valid and the caller holds a reference.
    unsafe {
        let h = buf_of(items);
        (*h).refs -= 1;
        if (*h).refs == 0 {
            alloc::dealloc(h as *mut u8, buf_layout(cap));
        }
    }
}

impl Drop for ListObj {
    fn drop(&mut self) {
        // SAFETY: the object holds one reference to its buffer, given up here, once.
        unsafe { release_buf(self.items, self.cap) }
    }
}

impl StructObj {
    #[inline]
    pub fn desc(&self) -> &'static StructDesc {
        // SAFETY: `desc` was created from a `&'static StructDesc` in `Heap::alloc_struct`.
        unsafe { &*self.desc }
    }
    #[inline]
    pub fn fields(&self) -> &[Value] {
        // SAFETY: `len` Values were written inline after the header by `alloc_struct`,
        // inside the same allocation (layout `struct_layout(len)`).
        unsafe { std::slice::from_raw_parts(ptr::addr_of!(self.fields) as *const Value, self.len) }
    }
    #[inline]
    pub fn fields_mut(&mut self) -> &mut [Value] {
        // SAFETY: as in `fields`; `&mut self` gives exclusive access.
        unsafe {
            std::slice::from_raw_parts_mut(ptr::addr_of_mut!(self.fields) as *mut Value, self.len)
        }
    }
    /// Field value by name, `None` if the type has no such field.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.desc().field_index(name).map(|i| self.fields()[i])
    }
}

fn str_layout(byte_len: usize) -> Layout {
    Layout::from_size_align(size_of::<StrObj>() + byte_len, 8).expect("string layout")
}

fn struct_layout(n: usize) -> Layout {
    Layout::from_size_align(size_of::<StructObj>() + n * size_of::<Value>(), 8)
        .expect("struct layout")
}

impl ClosureObj {
    #[inline]
    pub fn captures(&self) -> &[Value] {
        // SAFETY: `captures`/`ncaptures` own a leaked `Box<[Value]>` (see `alloc_closure`).
        unsafe { std::slice::from_raw_parts(self.captures, self.ncaptures) }
    }
}

impl Drop for ClosureObj {
    fn drop(&mut self) {
        let raw = ptr::slice_from_raw_parts_mut(self.captures, self.ncaptures);
        // SAFETY: reconstitutes the Box leaked by `alloc_closure`, exactly once.
        drop(unsafe { Box::from_raw(raw) });
    }
}

/// Heap configuration (the CLI sets `stress` from `MOCHI_GC_STRESS=1`).
#[derive(Clone, Copy, Debug)]
pub struct HeapConfig {
    /// Collect at every safepoint.
    pub stress: bool,
    /// Live bytes above which a collection (or allocation request) fails with `out of memory`.
    pub max_bytes: usize,
}

pub const DEFAULT_MAX_BYTES: usize = 4 << 30;
const MIN_GC_THRESHOLD: usize = 8 << 20;

impl Default for HeapConfig {
    fn default() -> HeapConfig {
        HeapConfig {
            stress: false,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// GC statistics.
#[derive(Clone, Copy, Debug, Default)]
pub struct GcStats {
    pub collections: u64,
    pub freed_objects: u64,
}

/// The object heap: owns every object, allocates, and collects.
pub struct Heap {
    objects: Vec<*mut Obj>,
    config: HeapConfig,
    /// Bytes of objects that survived the last collection.
    live_bytes: usize,
    /// Bytes allocated (approximately) since the last collection.
    since_gc: usize,
    /// Collect when `since_gc` exceeds this.
    threshold: usize,
    /// Bytes allocated before the last collection, since the heap was made (for `bench`).
    allocated_before_gc: u64,
    mark_stack: Vec<*mut Obj>,
    pub stats: GcStats,
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new(HeapConfig::default())
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        for &p in &self.objects {
            // SAFETY: every pointer in `objects` is a live object allocated by this heap,
            // freed exactly once here.
            unsafe { free_obj(p) };
        }
    }
}

/// Frees one object according to its kind.
///
/// # Safety
/// `p` must be a live object allocated by a `Heap` and not used afterwards.
unsafe fn free_obj(p: *mut Obj) {
    // SAFETY: the caller guarantees `p` is live; the header's kind says which concrete
    // repr(C) type (header-first) was boxed at allocation.
    unsafe {
        match (*p).kind {
            ObjKind::Str => {
                let so = p as *mut StrObj;
                let buf = (*so).buf;
                if buf.is_null() {
                    alloc::dealloc(p as *mut u8, str_layout((*so).byte_len));
                } else {
                    (*buf).refs -= 1;
                    if (*buf).refs == 0 {
                        drop(Box::from_raw(buf));
                    }
                    alloc::dealloc(p as *mut u8, str_layout(0));
                }
            }
            ObjKind::List => drop(Box::from_raw(p as *mut ListObj)),
            ObjKind::Map => drop(Box::from_raw(p as *mut MapObj)),
            ObjKind::Closure => drop(Box::from_raw(p as *mut ClosureObj)),
            ObjKind::Cell => drop(Box::from_raw(p as *mut CellObj)),
            ObjKind::BigInt => drop(Box::from_raw(p as *mut BigIntObj)),
            ObjKind::BigRat => drop(Box::from_raw(p as *mut BigRatObj)),
            ObjKind::Partial => drop(Box::from_raw(p as *mut PartialObj)),
            ObjKind::Struct => {
                let n = (*(p as *mut StructObj)).len;
                alloc::dealloc(p as *mut u8, struct_layout(n));
            }
        }
    }
}

/// Approximate size in bytes of a live object including what it owns.
///
/// # Safety
/// `p` must be a live object of this heap.
unsafe fn obj_size(p: *const Obj) -> usize {
    // SAFETY: the caller guarantees `p` is live; we read it as the type its kind names.
    unsafe {
        match (*p).kind {
            ObjKind::Str => {
                // A shared buffer is counted once across its sharers.
                let so = &*(p as *const StrObj);
                match so.buf.as_ref() {
                    None => size_of::<StrObj>() + so.byte_len,
                    Some(b) => size_of::<StrObj>() + b.bytes.capacity() / b.refs.max(1),
                }
            }
            ObjKind::List => {
                // A shared buffer is counted once across its sharers.
                let l = &*(p as *const ListObj);
                let refs = if l.items.is_null() {
                    1
                } else {
                    (*buf_of(l.items)).refs.max(1)
                };
                size_of::<ListObj>() + VALUE_SIZE * l.cap / refs
            }
            ObjKind::Map => size_of::<MapObj>() + (*(p as *const MapObj)).heap_bytes(),
            ObjKind::Struct => size_of::<StructObj>() + VALUE_SIZE * (*(p as *const StructObj)).len,
            ObjKind::Closure => {
                size_of::<ClosureObj>() + VALUE_SIZE * (*(p as *const ClosureObj)).ncaptures
            }
            ObjKind::Cell => size_of::<CellObj>(),
            ObjKind::BigInt => {
                size_of::<BigIntObj>() + (*(p as *const BigIntObj)).value.bits() as usize / 8
            }
            ObjKind::BigRat => {
                let r = &(*(p as *const BigRatObj)).value;
                size_of::<BigRatObj>() + (r.numer().bits() + r.denom().bits()) as usize / 8
            }
            ObjKind::Partial => {
                let pa = &*(p as *const PartialObj);
                size_of::<PartialObj>() + VALUE_SIZE * pa.args.len()
            }
        }
    }
}

impl Heap {
    pub fn new(config: HeapConfig) -> Heap {
        Heap {
            objects: Vec::new(),
            config,
            live_bytes: 0,
            since_gc: 0,
            threshold: MIN_GC_THRESHOLD,
            allocated_before_gc: 0,
            mark_stack: Vec::new(),
            stats: GcStats::default(),
        }
    }

    pub fn config(&self) -> HeapConfig {
        self.config
    }
    pub fn set_stress(&mut self, stress: bool) {
        self.config.stress = stress;
    }
    /// Number of objects currently allocated (live or not yet collected).
    pub fn object_count(&self) -> usize {
        self.objects.len()
    }
    /// Bytes that survived the last collection plus bytes allocated since.
    pub fn bytes_in_use(&self) -> usize {
        self.live_bytes + self.since_gc
    }
    /// Bytes allocated (approximately, as the GC counts them) since the heap was made; never
    /// decreases.
    pub fn bytes_allocated(&self) -> u64 {
        self.allocated_before_gc + self.since_gc as u64
    }

    // ---------------------------------------------------------------- allocation

    #[inline]
    fn register<T>(&mut self, kind: ObjKind, obj: T, extra: usize) -> Value {
        let p = Box::into_raw(Box::new(obj)) as *mut Obj;
        self.objects.push(p);
        self.since_gc += size_of::<T>() + extra;
        Value::object(kind, p)
    }

    /// Fails with `out of memory` when `bytes` more would exceed the heap limit.
    /// Call before building anything whose size the program controls (repeat, list growth).
    pub fn check_alloc(&self, bytes: usize) -> RtResult<()> {
        if bytes > self.config.max_bytes
            || self.live_bytes.saturating_add(bytes) > self.config.max_bytes
        {
            return Err(RuntimeError::out_of_memory());
        }
        Ok(())
    }

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
        self.objects.push(p as *mut Obj);
        self.since_gc += layout.size();
        Value::object(ObjKind::Str, p as *mut Obj)
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
            self.objects.push(p as *mut Obj);
            self.since_gc += layout.size();
            Value::object(ObjKind::Str, p as *mut Obj)
        }
    }

    pub fn alloc_list(&mut self, items: Vec<Value>) -> Value {
        self.alloc_list_from(&items, items.len())
    }

    /// A new list of the elements of the lists `parts` in order (`none` parts are empty), copied
    /// straight into the new buffer: `a + b` and `concat` touch no intermediate `Vec`, which
    /// halves the fresh pages a big concatenation faults in. `None` if a part is not a list.
    pub fn concat_lists(&mut self, parts: &[Value]) -> Option<RtResult<Value>> {
        let mut len = 0usize;
        for &p in parts {
            if !p.is_none() {
                len = len.checked_add(self.list_obj(p)?.len)?;
            }
        }
        if let Err(e) = self.check_alloc(len.saturating_mul(VALUE_SIZE)) {
            return Some(Err(e));
        }
        let buf = if len == 0 {
            ptr::null_mut()
        } else {
            new_buf(len)
        };
        let mut at = 0;
        for &p in parts {
            let items = self.as_list(p).unwrap_or_default();
            // SAFETY: `buf` has room for `len` values, the sum of the parts' lengths; the
            // sources are other (live) buffers.
            unsafe { ptr::copy_nonoverlapping(items.as_ptr(), buf.add(at), items.len()) };
            at += items.len();
        }
        if !buf.is_null() {
            // SAFETY: `buf` came from `new_buf`.
            unsafe { (*buf_of(buf)).used = len };
        }
        Some(Ok(self.register(
            ObjKind::List,
            ListObj {
                header: Obj::new(ObjKind::List),
                items: buf,
                len,
                cap: len,
            },
            len * VALUE_SIZE,
        )))
    }

    /// A list holding `items`, with room for `cap >= items.len()` elements.
    fn alloc_list_from(&mut self, items: &[Value], cap: usize) -> Value {
        let len = items.len();
        let buf = if cap == 0 {
            ptr::null_mut()
        } else {
            let b = new_buf(cap);
            // SAFETY: `b` has `cap >= len` slots.
            unsafe {
                ptr::copy_nonoverlapping(items.as_ptr(), b, len);
                (*buf_of(b)).used = len;
            }
            b
        };
        self.register(
            ObjKind::List,
            ListObj {
                header: Obj::new(ObjKind::List),
                items: buf,
                len,
                cap,
            },
            cap * VALUE_SIZE,
        )
    }

    /// `append(xs, v)`: a new list; shares `xs`'s buffer when `xs` is its tip and it has
    /// room (see `ListObj`), else copies into a buffer with room to grow.
    pub fn list_append(&mut self, list: Value, v: Value) -> RtResult<Value> {
        let l = self
            .list_obj(list)
            .ok_or_else(RuntimeError::append_expects_list)?;
        let (items, len, cap) = (l.items, l.len, l.cap);
        if !items.is_null() && len < cap {
            // SAFETY: non-null `items` come from `new_buf`; `len < cap` is in bounds.
            unsafe {
                let h = buf_of(items);
                if (*h).used == len {
                    *items.add(len) = v;
                    (*h).used = len + 1;
                    (*h).refs += 1;
                    return Ok(self.register(
                        ObjKind::List,
                        ListObj {
                            header: Obj::new(ObjKind::List),
                            items,
                            len: len + 1,
                            cap,
                        },
                        0,
                    ));
                }
            }
        }
        let new_cap = (len + 1).max(len.saturating_mul(2)).max(4);
        self.check_alloc(new_cap.saturating_mul(VALUE_SIZE))?;
        let mut copy = Vec::with_capacity(len + 1);
        copy.extend_from_slice(self.as_list(list).unwrap_or_default());
        copy.push(v);
        Ok(self.alloc_list_from(&copy, new_cap))
    }

    pub fn alloc_map(&mut self) -> Value {
        self.register(ObjKind::Map, MapObj::new(Obj::new(ObjKind::Map)), 0)
    }

    /// A struct with `fields` in declaration order (`fields.len() == desc.fields.len()`).
    pub fn alloc_struct(&mut self, desc: &'static StructDesc, fields: &[Value]) -> Value {
        let n = fields.len();
        let layout = struct_layout(n);
        // SAFETY: the layout is non-zero sized (the header alone is 24 bytes).
        let p = unsafe { alloc::alloc(layout) } as *mut StructObj;
        if p.is_null() {
            alloc::handle_alloc_error(layout);
        }
        // SAFETY: `p` is a fresh allocation of `struct_layout(n)`: room for the header
        // struct followed by `n` Values, all written here before any read.
        unsafe {
            ptr::write(
                p,
                StructObj {
                    header: Obj::new(ObjKind::Struct),
                    desc,
                    len: n,
                    fields: [],
                },
            );
            let dst = ptr::addr_of_mut!((*p).fields) as *mut Value;
            ptr::copy_nonoverlapping(fields.as_ptr(), dst, n);
        }
        self.objects.push(p as *mut Obj);
        self.since_gc += layout.size();
        Value::object(ObjKind::Struct, p as *mut Obj)
    }

    pub fn alloc_closure(&mut self, func: u32, captures: Vec<Value>) -> Value {
        let n = captures.len();
        let raw = Box::into_raw(captures.into_boxed_slice()) as *mut Value;
        self.register(
            ObjKind::Closure,
            ClosureObj {
                header: Obj::new(ObjKind::Closure),
                func,
                captures: raw,
                ncaptures: n,
            },
            n * VALUE_SIZE,
        )
    }

    pub fn alloc_cell(&mut self, v: Value) -> Value {
        self.register(
            ObjKind::Cell,
            CellObj {
                header: Obj::new(ObjKind::Cell),
                value: v,
            },
            0,
        )
    }

    pub fn alloc_partial(&mut self, callee: Value, args: Vec<Value>) -> Value {
        let n = args.len();
        self.register(
            ObjKind::Partial,
            PartialObj {
                header: Obj::new(ObjKind::Partial),
                callee,
                args: args.into_boxed_slice(),
            },
            n * VALUE_SIZE,
        )
    }

    pub fn alloc_bigrat(&mut self, r: BigRational) -> Value {
        let extra = (r.numer().bits() + r.denom().bits()) as usize / 8;
        self.register(
            ObjKind::BigRat,
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
            ObjKind::BigInt,
            BigIntObj {
                header: Obj::new(ObjKind::BigInt),
                value: b,
            },
            extra,
        )
    }

    // ---------------------------------------------------------------- typed access

    /// The object kind of a heap value, `None` for immediates.
    #[inline]
    pub fn kind(&self, v: Value) -> Option<ObjKind> {
        v.obj_kind()
    }

    #[inline]
    fn obj<T>(&self, v: Value, kind: ObjKind) -> Option<&T> {
        if self.kind(v) == Some(kind) {
            // SAFETY: the kind tag says the object was allocated as `T` (each ObjKind maps to
            // exactly one type, enforced by the callers below); it lives while `self` is borrowed
            // (collection needs `&mut self`).
            Some(unsafe { &*(v.as_ptr() as *const T) })
        } else {
            None
        }
    }

    #[inline]
    fn obj_mut<T>(&mut self, v: Value, kind: ObjKind) -> Option<&mut T> {
        if self.kind(v) == Some(kind) {
            // SAFETY: as in `obj`; `&mut self` guarantees no other reference into the heap
            // is alive.
            Some(unsafe { &mut *(v.as_ptr() as *mut T) })
        } else {
            None
        }
    }

    #[inline]
    pub fn str_obj(&self, v: Value) -> Option<&StrObj> {
        self.obj(v, ObjKind::Str)
    }
    #[inline]
    pub fn as_str(&self, v: Value) -> Option<&str> {
        self.str_obj(v).map(StrObj::as_str)
    }
    #[inline]
    pub fn list_obj(&self, v: Value) -> Option<&ListObj> {
        self.obj(v, ObjKind::List)
    }
    #[inline]
    pub fn list_obj_mut(&mut self, v: Value) -> Option<&mut ListObj> {
        self.obj_mut(v, ObjKind::List)
    }
    #[inline]
    pub fn as_list(&self, v: Value) -> Option<&[Value]> {
        self.list_obj(v).map(ListObj::items)
    }
    #[inline]
    pub fn as_list_mut(&mut self, v: Value) -> Option<&mut [Value]> {
        self.list_obj_mut(v).map(ListObj::items_mut)
    }
    #[inline]
    pub fn as_map(&self, v: Value) -> Option<&MapObj> {
        self.obj(v, ObjKind::Map)
    }
    #[inline]
    pub fn as_struct(&self, v: Value) -> Option<&StructObj> {
        self.obj(v, ObjKind::Struct)
    }
    #[inline]
    pub fn as_struct_mut(&mut self, v: Value) -> Option<&mut StructObj> {
        self.obj_mut(v, ObjKind::Struct)
    }
    #[inline]
    pub fn as_closure(&self, v: Value) -> Option<&ClosureObj> {
        self.obj(v, ObjKind::Closure)
    }
    #[inline]
    pub fn as_partial(&self, v: Value) -> Option<&PartialObj> {
        self.obj(v, ObjKind::Partial)
    }
    #[inline]
    pub fn as_bigint(&self, v: Value) -> Option<&BigInt> {
        self.obj::<BigIntObj>(v, ObjKind::BigInt).map(|o| &o.value)
    }
    #[inline]
    pub fn as_bigrat(&self, v: Value) -> Option<&BigRational> {
        self.obj::<BigRatObj>(v, ObjKind::BigRat).map(|o| &o.value)
    }
    /// The value in a cell (`none` if `cell` is not a cell).
    #[inline]
    pub fn cell_get(&self, cell: Value) -> Value {
        self.obj::<CellObj>(cell, ObjKind::Cell)
            .map_or(Value::NONE, |c| c.value)
    }
    #[inline]
    pub fn cell_set(&mut self, cell: Value, v: Value) {
        if let Some(c) = self.obj_mut::<CellObj>(cell, ObjKind::Cell) {
            c.value = v;
        }
    }
    /// Is this value an integer (i64 or big)?
    #[inline]
    pub fn is_integer(&self, v: Value) -> bool {
        v.is_int() || self.kind(v) == Some(ObjKind::BigInt)
    }
    /// Is this value callable (closure or partial application)?
    pub fn is_function(&self, v: Value) -> bool {
        matches!(self.kind(v), Some(ObjKind::Closure | ObjKind::Partial))
    }

    // ---------------------------------------------------------------- lists

    /// `xs[i]` with negative `i` counting from the end; out of range (or not a list) → `none`.
    #[inline]
    pub fn list_get(&self, list: Value, i: i64) -> Value {
        match self.as_list(list) {
            Some(items) => {
                let n = items.len() as i64;
                let j = if i < 0 { i + n } else { i };
                if j >= 0 && j < n {
                    items[j as usize]
                } else {
                    Value::NONE
                }
            }
            None => Value::NONE,
        }
    }

    /// `xs[i] = v` (LANGUAGE.md 4): negative `i` counts from the end, `i >= len` grows the
    /// list filling with `none`, `i < -len` is `index out of range`.
    pub fn list_set(&mut self, list: Value, i: i64, v: Value) -> RtResult<()> {
        let n = match self.list_obj(list) {
            Some(l) => l.len as i64,
            None => return Err(RuntimeError::invalid_index_target()),
        };
        let j = if i < 0 { i + n } else { i };
        if j < 0 {
            return Err(RuntimeError::index_out_of_range());
        }
        if j < n {
            self.as_list_mut(list).expect("list")[j as usize] = v;
            return Ok(());
        }
        let new_len = (j as u64)
            .checked_add(1)
            .ok_or_else(RuntimeError::out_of_memory)?;
        let bytes = usize::try_from(new_len.saturating_mul(VALUE_SIZE as u64))
            .map_err(|_| RuntimeError::out_of_memory())?;
        self.check_alloc(bytes)?;
        let l = self.list_obj_mut(list).expect("list");
        let old_cap = l.cap;
        l.resize(new_len as usize);
        l.items_mut()[j as usize] = v;
        let new_cap = l.cap;
        self.since_gc += new_cap.saturating_sub(old_cap) * VALUE_SIZE;
        Ok(())
    }

    /// Appends in place (for the interpreter's own list building).
    pub fn list_push(&mut self, list: Value, v: Value) -> RtResult<()> {
        let l = self
            .list_obj_mut(list)
            .ok_or_else(RuntimeError::append_expects_list)?;
        let old_cap = l.cap;
        let n = l.len;
        l.resize(n + 1);
        l.items_mut()[n] = v;
        let new_cap = l.cap;
        self.since_gc += new_cap.saturating_sub(old_cap) * VALUE_SIZE;
        Ok(())
    }

    /// Length of a list (0 if not a list).
    #[inline]
    pub fn list_len(&self, list: Value) -> usize {
        self.list_obj(list).map_or(0, |l| l.len)
    }

    // ---------------------------------------------------------------- maps

    /// Normalized key of a value; `strs` keys borrow from string objects.
    fn key_ref(&self, k: Value) -> KeyRef<'_> {
        if k.is_int() {
            return KeyRef::Int(k.as_int());
        }
        if let Some(s) = self.as_str(k) {
            return match canonical_int(s) {
                Some(i) => KeyRef::Int(i),
                None => KeyRef::Str(s),
            };
        }
        if let Some(b) = self.as_bigint(k) {
            return match b.to_i64() {
                Some(i) => KeyRef::Int(i),
                None => KeyRef::Owned(b.to_string()),
            };
        }
        let text = crate::format::str_form(self, k);
        match canonical_int(&text) {
            Some(i) => KeyRef::Int(i),
            None => KeyRef::Owned(text),
        }
    }

    /// `m[k]`: the value or `None` when absent (or `m` is not a map).
    #[inline]
    pub fn map_get(&self, map: Value, k: Value) -> Option<Value> {
        let m = self.as_map(map)?;
        if k.is_int() {
            return m.get_int(k.as_int());
        }
        m.get(&self.key_ref(k))
    }

    #[inline]
    pub fn map_contains(&self, map: Value, k: Value) -> bool {
        self.map_get(map, k).is_some()
    }

    /// `m[k] = v`. Error `invalid index target` if `map` is not a map.
    pub fn map_set(&mut self, map: Value, k: Value, v: Value) -> RtResult<()> {
        if self.kind(map) != Some(ObjKind::Map) {
            return Err(RuntimeError::invalid_index_target());
        }
        let mp = map.as_ptr() as *mut MapObj;
        let inserted = if k.is_int() {
            // SAFETY: `map` is a live map (checked above) and `&mut self` excludes any other
            // reference into the heap.
            let m = unsafe { &mut *mp };
            m.insert(KeyRef::Int(k.as_int()), k, v)
        } else {
            let key = self.key_ref(k);
            // SAFETY: `map` is a live map; `key` may borrow a *string* object, which is a
            // different allocation from the map, so the `&mut MapObj` does not alias it.
            let m = unsafe { &mut *mp };
            m.insert(key, k, v)
        };
        if inserted {
            self.since_gc += 48;
        }
        Ok(())
    }

    /// Removes a key; returns its value.
    pub fn map_remove(&mut self, map: Value, k: Value) -> Option<Value> {
        if self.kind(map) != Some(ObjKind::Map) {
            return None;
        }
        let key = self.key_ref(k);
        // SAFETY: as in `map_set`.
        let m = unsafe { &mut *(map.as_ptr() as *mut MapObj) };
        m.remove(&key)
    }

    pub fn map_len(&self, map: Value) -> usize {
        self.as_map(map).map_or(0, MapObj::len)
    }

    /// Original keys in LANGUAGE.md 8.3 order.
    pub fn map_keys_sorted(&self, map: Value) -> Vec<Value> {
        self.as_map(map).map_or_else(Vec::new, |m| {
            m.entries_sorted().into_iter().map(|e| e.0).collect()
        })
    }

    /// (key, value) pairs in LANGUAGE.md 8.3 order.
    pub fn map_entries_sorted(&self, map: Value) -> Vec<(Value, Value)> {
        self.as_map(map)
            .map_or_else(Vec::new, MapObj::entries_sorted)
    }

    // ---------------------------------------------------------------- GC

    /// Should the interpreter collect at this safepoint?
    #[inline]
    pub fn should_collect(&self) -> bool {
        self.config.stress
            || self.since_gc > self.threshold
            || self.live_bytes.saturating_add(self.since_gc) > self.config.max_bytes
    }

    /// Collects with the values of `roots` as the only roots.
    /// Returns `out of memory` when the live bytes afterwards exceed `max_bytes`.
    pub fn collect(&mut self, roots: &[&[Value]]) -> RtResult<()> {
        for slice in roots {
            for &v in *slice {
                self.mark_value(v);
            }
        }
        self.finish_collect()
    }

    /// Collects with roots given by an iterator.
    pub fn collect_iter(&mut self, roots: impl IntoIterator<Item = Value>) -> RtResult<()> {
        for v in roots {
            self.mark_value(v);
        }
        self.finish_collect()
    }

    fn finish_collect(&mut self) -> RtResult<()> {
        self.trace();
        self.sweep();
        self.stats.collections += 1;
        self.allocated_before_gc += self.since_gc as u64;
        self.since_gc = 0;
        self.threshold = MIN_GC_THRESHOLD.max(self.live_bytes);
        if self.live_bytes > self.config.max_bytes {
            return Err(RuntimeError::out_of_memory());
        }
        Ok(())
    }

    #[inline]
    fn mark_value(&mut self, v: Value) {
        if v.is_ptr() {
            let p = v.as_ptr();
            // SAFETY: root and traced values refer to live objects of this heap (GC contract).
            unsafe {
                if (*p).marked == 0 {
                    (*p).marked = 1;
                    self.mark_stack.push(p);
                }
            }
        }
    }

    fn trace(&mut self) {
        while let Some(p) = self.mark_stack.pop() {
            // SAFETY: `p` was pushed by `mark_value`, so it is a live object; we read its
            // children as the type its kind names. Children are copied out before marking.
            unsafe {
                match (*p).kind {
                    ObjKind::Str | ObjKind::BigInt | ObjKind::BigRat => {}
                    ObjKind::List => {
                        let l = &*(p as *const ListObj);
                        for i in 0..l.len {
                            self.mark_value(*l.items.add(i));
                        }
                    }
                    ObjKind::Map => {
                        let m = &*(p as *const MapObj);
                        for (k, v) in m.entries_unordered() {
                            self.mark_value(k);
                            self.mark_value(v);
                        }
                    }
                    ObjKind::Struct => {
                        let s = &*(p as *const StructObj);
                        let base = ptr::addr_of!(s.fields) as *const Value;
                        for i in 0..s.len {
                            self.mark_value(*base.add(i));
                        }
                    }
                    ObjKind::Closure => {
                        let c = &*(p as *const ClosureObj);
                        for i in 0..c.ncaptures {
                            self.mark_value(*c.captures.add(i));
                        }
                    }
                    ObjKind::Cell => {
                        let c = &*(p as *const CellObj);
                        self.mark_value(c.value);
                    }
                    ObjKind::Partial => {
                        let pa = &*(p as *const PartialObj);
                        self.mark_value(pa.callee);
                        for i in 0..pa.args.len() {
                            self.mark_value(pa.args[i]);
                        }
                    }
                }
            }
        }
    }

    fn sweep(&mut self) {
        let mut live = 0usize;
        let mut freed = 0u64;
        self.objects.retain(|&p| {
            // SAFETY: every pointer in `objects` is live until freed here; an unmarked one is
            // unreachable from the roots, so nothing can use it again.
            unsafe {
                if (*p).marked != 0 {
                    (*p).marked = 0;
                    live += obj_size(p);
                    true
                } else {
                    free_obj(p);
                    freed += 1;
                    false
                }
            }
        });
        self.live_bytes = live;
        self.stats.freed_objects += freed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc() -> &'static StructDesc {
        Box::leak(Box::new(StructDesc::new(
            "Point",
            vec!["y".into(), "x".into()],
        )))
    }

    #[test]
    fn string_concat_appends_in_place_and_stays_private() {
        let mut h = Heap::default();
        let long = h.alloc_str(&"x".repeat(STR_BUF_MIN));
        let one = h.alloc_str("1");
        let a = h.concat_strs(long, one).unwrap().unwrap();
        let b = h.concat_strs(a, one).unwrap().unwrap();
        // `a` was the tip: `b` shares its buffer.
        assert_eq!(h.str_obj(a).unwrap().ptr, h.str_obj(b).unwrap().ptr);
        // `a` is no longer the tip: appending to it again copies, and `b` keeps its value.
        let two = h.alloc_str("2");
        let c = h.concat_strs(a, two).unwrap().unwrap();
        assert_ne!(h.str_obj(a).unwrap().ptr, h.str_obj(c).unwrap().ptr);
        let x = "x".repeat(STR_BUF_MIN);
        assert_eq!(h.as_str(b), Some(format!("{x}11").as_str()));
        assert_eq!(h.as_str(c), Some(format!("{x}12").as_str()));
        // Collecting `a` leaves the buffer to `b`; collecting everything frees it.
        h.collect(&[&[b]]).unwrap();
        assert_eq!(h.as_str(b), Some(format!("{x}11").as_str()));
        h.collect(&[]).unwrap();
        assert_eq!(h.object_count(), 0);
        assert!(h.concat_strs(Value::int(1), one).is_none());
    }

    #[test]
    fn int_normalizes() {
        let mut h = Heap::default();
        assert!(h.int128(1 << 47).is_int());
        assert!(h.int128(i128::from(i64::MIN)).is_int());
        let big = h.int128(i128::from(i64::MAX) + 1);
        assert_eq!(h.kind(big), Some(ObjKind::BigInt));
        let b = h.bigint(BigInt::from(5));
        assert_eq!(b, Value::int(5));
        let b = h.int128(i128::from(i64::MAX) * 4);
        assert_eq!(h.as_bigint(b).unwrap(), &(BigInt::from(i64::MAX) * 4));
    }

    #[test]
    fn strings_index_by_code_point() {
        let mut h = Heap::default();
        let s = h.alloc_str("pépé🐶");
        let o = h.str_obj(s).unwrap();
        assert_eq!(o.char_len, 5);
        assert!(!o.is_ascii());
        assert_eq!(o.char_slice(1, 5), "épé🐶");
        assert_eq!(o.char_slice(4, 5), "🐶");
        assert_eq!(o.char_slice(2, 2), "");
        let a = h.alloc_str("hello");
        let o = h.str_obj(a).unwrap();
        assert!(o.is_ascii());
        assert_eq!(o.char_slice(1, 3), "el");
    }

    #[test]
    fn list_set_grows_and_errors() {
        let mut h = Heap::default();
        let l = h.alloc_list(vec![Value::int(1)]);
        h.list_set(l, 3, Value::int(9)).unwrap();
        assert_eq!(
            h.as_list(l).unwrap(),
            &[Value::int(1), Value::NONE, Value::NONE, Value::int(9)]
        );
        h.list_set(l, -1, Value::int(7)).unwrap();
        assert_eq!(h.list_get(l, 3), Value::int(7));
        assert_eq!(h.list_get(l, -4), Value::int(1));
        assert_eq!(h.list_get(l, 4), Value::NONE);
        assert_eq!(h.list_get(l, -5), Value::NONE);
        assert_eq!(
            h.list_set(l, -5, Value::NONE).unwrap_err().message,
            "index out of range"
        );
        h.list_push(l, Value::TRUE).unwrap();
        assert_eq!(h.list_len(l), 5);
        assert_eq!(
            h.list_set(l, 1 << 60, Value::NONE).unwrap_err().message,
            "out of memory"
        );
    }

    #[test]
    fn map_keys_unify_and_sort_bytewise() {
        let mut h = Heap::default();
        let m = h.alloc_map();
        let one = h.alloc_str("1");
        h.map_set(m, Value::int(1), Value::int(10)).unwrap();
        h.map_set(m, one, Value::int(11)).unwrap();
        assert_eq!(h.map_len(m), 1);
        assert_eq!(h.map_get(m, Value::int(1)), Some(Value::int(11)));
        for k in [9, 10, 100, -1] {
            h.map_set(m, Value::int(k), Value::TRUE).unwrap();
        }
        let a = h.alloc_str("a");
        let b = h.alloc_str("B");
        let z = h.alloc_str("01");
        h.map_set(m, a, Value::TRUE).unwrap();
        h.map_set(m, b, Value::TRUE).unwrap();
        h.map_set(m, z, Value::TRUE).unwrap();
        let keys: Vec<String> = h
            .map_keys_sorted(m)
            .iter()
            .map(|&k| crate::format::str_form(&h, k))
            .collect();
        assert_eq!(keys, ["-1", "01", "1", "10", "100", "9", "B", "a"]);
        let k9 = h.alloc_str("9");
        assert!(h.map_contains(m, k9));
        let k09 = h.alloc_str("09");
        assert!(!h.map_contains(m, k09));
        assert_eq!(h.map_remove(m, Value::int(9)), Some(Value::TRUE));
        assert!(!h.map_contains(m, k9));
        assert_eq!(canonical_int("-0"), None);
        assert_eq!(canonical_int("+1"), None);
        assert_eq!(canonical_int("0"), Some(0));
        assert_eq!(canonical_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(canonical_int("9223372036854775808"), None);
    }

    #[test]
    fn structs_hold_fields_inline() {
        let mut h = Heap::default();
        let d = desc();
        let s = h.alloc_struct(d, &[Value::int(1), Value::int(2)]);
        let o = h.as_struct(s).unwrap();
        assert_eq!(o.desc().name, "Point");
        assert_eq!(o.get("x"), Some(Value::int(2)));
        assert_eq!(o.get("z"), None);
        h.as_struct_mut(s).unwrap().fields_mut()[0] = Value::TRUE;
        assert_eq!(h.as_struct(s).unwrap().get("y"), Some(Value::TRUE));
        // print order: __name, x, y
        assert_eq!(d.print_order, vec![usize::MAX, 1, 0]);
    }

    #[test]
    fn gc_frees_unreachable_and_keeps_reachable() {
        let mut h = Heap::default();
        let keep = h.alloc_list(vec![]);
        for i in 0..100 {
            let s = h.alloc_string(format!("s{i}"));
            if i % 10 == 0 {
                h.list_push(keep, s).unwrap();
            }
        }
        let m = h.alloc_map();
        let k = h.alloc_str("key");
        let v = h.alloc_str("val");
        h.map_set(m, k, v).unwrap();
        let cell = h.alloc_cell(m);
        let clo = h.alloc_closure(3, vec![cell]);
        let d = desc();
        let st = h.alloc_struct(d, &[clo, Value::NONE]);
        let big = h.int128(i128::from(i64::MAX) + 1);
        let part = h.alloc_partial(st, vec![big]);
        h.list_push(keep, part).unwrap();
        let before = h.object_count();
        assert_eq!(before, 1 + 100 + 3 + 1 + 1 + 1 + 1 + 1);
        h.collect(&[&[keep]]).unwrap();
        assert_eq!(h.object_count(), 1 + 10 + 3 + 1 + 1 + 1 + 1 + 1);
        assert_eq!(h.as_str(h.list_get(keep, 1)), Some("s10"));
        assert_eq!(h.as_str(h.map_get(m, k).unwrap()), Some("val"));
        h.collect(&[]).unwrap();
        assert_eq!(h.object_count(), 0);
        assert_eq!(h.stats.collections, 2);
    }

    #[test]
    fn stress_mode_always_collects() {
        let mut h = Heap::new(HeapConfig {
            stress: true,
            ..HeapConfig::default()
        });
        assert!(h.should_collect());
        let h2 = Heap::default();
        assert!(!h2.should_collect());
        h.set_stress(false);
        for _ in 0..(MIN_GC_THRESHOLD / 32) {
            h.alloc_str("0123456789");
        }
        assert!(h.should_collect());
        h.collect(&[]).unwrap();
        assert!(!h.should_collect());
    }

    #[test]
    fn deep_nesting_marks_without_recursion() {
        let mut h = Heap::default();
        let mut v = h.alloc_list(vec![]);
        for _ in 0..1_000_000 {
            v = h.alloc_list(vec![v]);
        }
        h.collect(&[&[v]]).unwrap();
        assert_eq!(h.object_count(), 1_000_001);
        h.collect(&[]).unwrap();
        assert_eq!(h.object_count(), 0);
    }

    #[test]
    fn heap_limit_reports_out_of_memory() {
        let mut h = Heap::new(HeapConfig {
            stress: false,
            max_bytes: 1 << 20,
        });
        assert!(h.check_alloc(1 << 30).is_err());
        assert!(h.check_alloc(1 << 10).is_ok());
        let mut keep = Vec::new();
        for _ in 0..64 {
            keep.push(h.alloc_list(vec![Value::NONE; 4096]));
        }
        assert!(h.should_collect());
        let err = h.collect(&[&keep]).unwrap_err();
        assert_eq!(err.message, "out of memory");
        keep.clear();
        h.collect(&[&keep]).unwrap();
    }

    #[test]
    fn ten_million_ints_fit() {
        let mut h = Heap::default();
        h.check_alloc(10_000_000 * VALUE_SIZE).unwrap();
        let l = h.alloc_list((0..10_000_000).map(Value::int).collect());
        h.collect(&[&[l]]).unwrap();
        assert_eq!(h.list_len(l), 10_000_000);
    }
}
