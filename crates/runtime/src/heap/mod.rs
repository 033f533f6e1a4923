//! Heap objects, their C-compatible layouts, and the non-moving mark-sweep GC.
//!
//! Every object is a `#[repr(C)]` struct that starts with the 8-byte [`Obj`] header
//! (`kind` at byte 0, mark bit at byte 1). A heap reference [`Value`] points at the header.
//! The layouts of `StrObj`, `ListObj`, `StructObj`, `ClosureObj` and `CellObj` are read by
//! the JIT's C stencils; their offsets are `pub const`s asserted at compile time next to
//! each layout.
//!
//! One file per object kind (`strings`, `lists`, `maps`, `structs`, `functions`, `numbers`):
//! its layout, its [`HeapObject`] impl (what it references, what it costs, how it is freed)
//! and the `Heap` methods that allocate and access it. The kinds are listed once, in
//! [`object_kinds!`] below, which generates [`ObjKind`] and the one dispatch from a header's
//! kind to its type ([`visit_object`]); the collector (`collector.rs`) is written against
//! the trait only. Adding a kind: one file, one row.
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

use std::cell::Cell;
use std::mem::{offset_of, size_of};

use num_bigint::BigInt;
use num_rational::BigRational;

use crate::error::{RtResult, RuntimeError};
pub use crate::map::{
    MAP_ARR_COUNT_OFFSET, MAP_ARR_ITEMS_OFFSET, MAP_ARR_LEN_OFFSET, MAP_HOLE_TAG, MapObj,
    canonical_int,
};
use crate::value::Value;

mod collector;
mod functions;
mod lists;
mod maps;
mod numbers;
mod strings;
mod structs;
#[cfg(test)]
mod tests;

pub use collector::Tracer;
pub use functions::{
    CELL_VALUE_OFFSET, CLOSURE_CAPTURES_OFFSET, CLOSURE_FUNC_OFFSET, CLOSURE_NCAPTURES_OFFSET,
    CellObj, ClosureObj, PartialObj,
};
pub use lists::{
    LIST_BUF_REFS_OFFSET, LIST_BUF_USED_OFFSET, LIST_CAP_OFFSET, LIST_ITEMS_OFFSET,
    LIST_LEN_OFFSET, ListBuf, ListObj,
};
pub use numbers::{BigIntObj, BigRatObj};
pub use strings::{STR_BYTE_LEN_OFFSET, STR_CHAR_LEN_OFFSET, STR_PTR_OFFSET, StrObj};
pub use structs::{
    STRUCT_DESC_OFFSET, STRUCT_DESC_PARTIAL_OF_OFFSET, STRUCT_FIELDS_OFFSET, STRUCT_LEN_OFFSET,
    StructDesc, StructObj,
};

/// One kind of heap object: the layout type its header's kind names.
///
/// # Safety
/// The implementor is `#[repr(C)]` with an [`Obj`] header first, every object of the type is
/// allocated with `header.kind == KIND`, and [`HeapObject::free`] matches that allocation.
pub unsafe trait HeapObject: Sized {
    const KIND: ObjKind;
    /// True when objects of this kind reference no values: marking them needs no tracing.
    const LEAF: bool = false;
    /// Hands every value this object references to `t` (nothing for a leaf).
    fn trace(&self, t: &mut Tracer<'_>);
    /// Approximate size in bytes, including what the object owns; what the GC accounts.
    fn size_bytes(&self) -> usize;
    /// Frees an object of this type. The default suits objects allocated with `Box::new`.
    ///
    /// # Safety
    /// `p` was allocated as `Self` by a `Heap`, is live, and is not used afterwards.
    unsafe fn free(p: *mut Self) {
        // SAFETY: per the contract, `p` came from `Box::into_raw` and is freed once.
        drop(unsafe { Box::from_raw(p) })
    }
}

/// What [`visit_object`] does with an object once its concrete type is known.
pub(crate) trait ObjectVisitor {
    type Out;
    /// # Safety
    /// `p` is a live object of type `T`.
    unsafe fn visit<T: HeapObject>(self, p: *mut T) -> Self::Out;
}

/// The registry of object kinds: `Kind = tag => LayoutType`. Generates [`ObjKind`],
/// [`ObjKind::from_tag`], [`ObjKind::is_leaf`] and [`visit_object`], and checks that every
/// type's `HeapObject::KIND` is its row's kind.
macro_rules! object_kinds {
    ($($(#[$doc:meta])* $kind:ident = $tag:literal => $ty:ty,)*) => {
        /// Object kind, stored in byte 0 of every object and, for a heap reference, as its
        /// value tag.
        #[repr(u8)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ObjKind {
            $($(#[$doc])* $kind = $tag,)*
        }

        impl ObjKind {
            /// The kind a value tag names (`None` for immediates): a heap value's tag is its
            /// kind.
            #[inline(always)]
            pub fn from_tag(tag: u64) -> Option<ObjKind> {
                Some(match tag {
                    $($tag => ObjKind::$kind,)*
                    _ => return None,
                })
            }

            /// Whether objects of this kind reference no values (see [`HeapObject::LEAF`]).
            #[inline(always)]
            pub fn is_leaf(self) -> bool {
                match self {
                    $(ObjKind::$kind => <$ty as HeapObject>::LEAF,)*
                }
            }
        }

        /// Calls `v` with `p` as the type its header's kind names.
        ///
        /// # Safety
        /// `p` is a live object allocated by a `Heap`.
        #[inline(always)]
        pub(crate) unsafe fn visit_object<V: ObjectVisitor>(p: *mut Obj, v: V) -> V::Out {
            // SAFETY: the caller guarantees `p` is live; its kind names the repr(C),
            // header-first type it was allocated as (the `HeapObject` contract).
            unsafe {
                match (*p).kind {
                    $(ObjKind::$kind => v.visit(p as *mut $ty),)*
                }
            }
        }

        $(const _: () = assert!(<$ty as HeapObject>::KIND as u8 == $tag);)*
    };
}

object_kinds! {
    Str = 16 => StrObj,
    List = 17 => ListObj,
    Map = 18 => MapObj,
    Struct = 19 => StructObj,
    Closure = 20 => ClosureObj,
    Cell = 21 => CellObj,
    BigInt = 22 => BigIntObj,
    BigRat = 23 => BigRatObj,
    Partial = 24 => PartialObj,
}

const _: () = assert!(ObjKind::Str as u64 == crate::value::TAG_OBJ_MIN);

/// Common 8-byte header of every heap object.
#[repr(C)]
pub struct Obj {
    pub kind: ObjKind,
    /// Mark bit (0/1), only meaningful during a collection.
    pub marked: u8,
    /// Bits the object's kind defines (strings keep their flags here).
    pub aux: u8,
    _pad: u8,
    /// 32 bits the object's kind may cache a derived fact in (strings: their key hash).
    pub(crate) cache: Cell<u32>,
}

impl Obj {
    pub(crate) fn new(kind: ObjKind) -> Obj {
        Obj::with_aux(kind, 0)
    }
    pub(crate) fn with_aux(kind: ObjKind, aux: u8) -> Obj {
        Obj {
            kind,
            marked: 0,
            aux,
            _pad: 0,
            cache: Cell::new(0),
        }
    }
}

pub const OBJ_KIND_OFFSET: usize = offset_of!(Obj, kind);
pub const OBJ_MARK_OFFSET: usize = offset_of!(Obj, marked);
const _: () = assert!(size_of::<Obj>() == 8);
const _: () = assert!(OBJ_KIND_OFFSET == 0 && OBJ_MARK_OFFSET == 1);
const _: () = assert!(size_of::<Value>() == 16);

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

/// Live bytes up to which the heap may double between collections; above it, it grows by
/// this much, then by half the live bytes. Fresh memory is dear (a first touch zeroes a page,
/// 2 MB with transparent huge pages) and collections of a small heap are cheap, so small
/// heaps double and big ones grow by half (ARCHITECTURE.md, 2026-12-06).
const GC_DOUBLING_LIMIT: usize = 64 << 20;

/// Bytes a heap with `live` bytes may allocate before the next collection.
fn gc_threshold(live: usize) -> usize {
    MIN_GC_THRESHOLD.max(live.min(GC_DOUBLING_LIMIT.max(live / 2)))
}

impl Default for HeapConfig {
    fn default() -> HeapConfig {
        HeapConfig {
            stress: false,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// GC statistics (`mochi run --gc-stats` prints them).
#[derive(Clone, Copy, Debug, Default)]
pub struct GcStats {
    pub collections: u64,
    pub freed_objects: u64,
    /// Wall time spent collecting (mark and sweep), in nanoseconds.
    pub total_ns: u64,
    /// The longest single collection, in nanoseconds.
    pub max_pause_ns: u64,
    /// Objects marked (traced) over all collections: the work of marking.
    pub marked_objects: u64,
    /// The largest `live_bytes` any collection left.
    pub peak_live_bytes: usize,
}

/// Offsets in [`Heap`] of the allocation count and of the count at which a safepoint
/// collects, for optimized code's inline safepoint check (`since_gc >= collect_at`).
pub const HEAP_SINCE_GC_OFFSET: usize = std::mem::offset_of!(Heap, since_gc);
pub const HEAP_COLLECT_AT_OFFSET: usize = std::mem::offset_of!(Heap, collect_at);

/// The object heap: owns every object, allocates, and collects.
pub struct Heap {
    objects: Vec<*mut Obj>,
    /// The heap's strings of at most one byte, made on first use and never collected
    /// (`strings.rs`, `Heap::tiny_str`).
    tiny_strs: strings::TinyStrs,
    /// Code point indexes of long non-ASCII strings that were indexed (`strings.rs`,
    /// `Heap::alloc_substr`), dropped with their strings.
    char_indexes: strings::CharIndexes,
    config: HeapConfig,
    /// Bytes of objects that survived the last collection.
    live_bytes: usize,
    /// Bytes allocated (approximately) since the last collection.
    since_gc: usize,
    /// Collect when `since_gc` exceeds this.
    threshold: usize,
    /// `should_collect` holds once `since_gc` reaches this (0 under stress): one compare,
    /// which optimized code makes inline after an allocation (`HEAP_COLLECT_AT_OFFSET`).
    collect_at: usize,
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
            unsafe { collector::free_obj(p) };
        }
        self.tiny_strs.free_all();
    }
}

impl Heap {
    pub fn new(config: HeapConfig) -> Heap {
        let mut heap = Heap {
            objects: Vec::new(),
            tiny_strs: strings::TinyStrs::default(),
            char_indexes: strings::CharIndexes::default(),
            config,
            live_bytes: 0,
            since_gc: 0,
            threshold: MIN_GC_THRESHOLD,
            collect_at: 0,
            allocated_before_gc: 0,
            mark_stack: Vec::new(),
            stats: GcStats::default(),
        };
        heap.refresh_collect_at();
        heap
    }

    pub fn config(&self) -> HeapConfig {
        self.config
    }
    pub fn set_stress(&mut self, stress: bool) {
        self.config.stress = stress;
        self.refresh_collect_at();
    }
    /// Number of objects currently allocated (live or not yet collected).
    pub fn object_count(&self) -> usize {
        self.objects.len()
    }
    /// Bytes that survived the last collection.
    pub fn live_bytes(&self) -> usize {
        self.live_bytes
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
    fn register<T: HeapObject>(&mut self, obj: T, extra: usize) -> Value {
        let p = Box::into_raw(Box::new(obj));
        self.adopt(p, size_of::<T>() + extra)
    }

    /// Takes ownership of a freshly initialized object that counts `bytes` for the GC.
    #[inline]
    fn adopt<T: HeapObject>(&mut self, p: *mut T, bytes: usize) -> Value {
        self.objects.push(p as *mut Obj);
        self.since_gc += bytes;
        Value::object(T::KIND, p as *mut Obj)
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

    /// The object kind of a heap value, `None` for immediates.
    #[inline]
    pub fn kind(&self, v: Value) -> Option<ObjKind> {
        v.obj_kind()
    }

    #[inline]
    fn obj<T: HeapObject>(&self, v: Value) -> Option<&T> {
        if self.kind(v) == Some(T::KIND) {
            // SAFETY: the kind tag says the object was allocated as `T` (`T::KIND` is the one
            // kind of `T`, the `HeapObject` contract); it lives while `self` is borrowed
            // (collection needs `&mut self`).
            Some(unsafe { &*(v.as_ptr() as *const T) })
        } else {
            None
        }
    }

    #[inline]
    fn obj_mut<T: HeapObject>(&mut self, v: Value) -> Option<&mut T> {
        if self.kind(v) == Some(T::KIND) {
            // SAFETY: as in `obj`; `&mut self` guarantees no other reference into the heap
            // is alive.
            Some(unsafe { &mut *(v.as_ptr() as *mut T) })
        } else {
            None
        }
    }

    #[inline]
    pub fn str_obj(&self, v: Value) -> Option<&StrObj> {
        self.obj::<StrObj>(v)
    }
    #[inline]
    pub fn as_str(&self, v: Value) -> Option<&str> {
        self.str_obj(v).map(StrObj::as_str)
    }
    #[inline]
    pub fn list_obj(&self, v: Value) -> Option<&ListObj> {
        self.obj::<ListObj>(v)
    }
    #[inline]
    pub fn list_obj_mut(&mut self, v: Value) -> Option<&mut ListObj> {
        self.obj_mut::<ListObj>(v)
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
        self.obj::<MapObj>(v)
    }
    #[inline]
    pub fn as_struct(&self, v: Value) -> Option<&StructObj> {
        self.obj::<StructObj>(v)
    }
    #[inline]
    pub fn as_struct_mut(&mut self, v: Value) -> Option<&mut StructObj> {
        self.obj_mut::<StructObj>(v)
    }
    #[inline]
    pub fn as_closure(&self, v: Value) -> Option<&ClosureObj> {
        self.obj::<ClosureObj>(v)
    }
    #[inline]
    pub fn as_partial(&self, v: Value) -> Option<&PartialObj> {
        self.obj::<PartialObj>(v)
    }
    #[inline]
    pub fn as_bigint(&self, v: Value) -> Option<&BigInt> {
        self.obj::<BigIntObj>(v).map(|o| &o.value)
    }
    #[inline]
    pub fn as_bigrat(&self, v: Value) -> Option<&BigRational> {
        self.obj::<BigRatObj>(v).map(|o| &o.value)
    }
    /// The value in a cell (`none` if `cell` is not a cell).
    #[inline]
    pub fn cell_get(&self, cell: Value) -> Value {
        self.obj::<CellObj>(cell).map_or(Value::NONE, |c| c.value)
    }
    #[inline]
    pub fn cell_set(&mut self, cell: Value, v: Value) {
        if let Some(c) = self.obj_mut::<CellObj>(cell) {
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
}
