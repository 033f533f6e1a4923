//! List objects: a header over a reference-counted, copy-on-write buffer of values.

use std::alloc::{self, Layout};
use std::mem::{offset_of, size_of};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Heap, HeapObject, Obj, ObjKind, Tracer};
use crate::error::{RtResult, RuntimeError};
use crate::value::{VALUE_SIZE, Value};

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

pub const LIST_ITEMS_OFFSET: usize = offset_of!(ListObj, items);
pub const LIST_LEN_OFFSET: usize = offset_of!(ListObj, len);
pub const LIST_CAP_OFFSET: usize = offset_of!(ListObj, cap);
const _: () = assert!(LIST_ITEMS_OFFSET == 8 && LIST_LEN_OFFSET == 16 && LIST_CAP_OFFSET == 24);

/// Header of a list buffer, in the 24 bytes before `items[0]`; the stencils and the
/// optimizing tier reach `refs` and `used` at fixed negative offsets from `items`.
#[repr(C)]
pub struct ListBuf {
    /// Bytes of padding before this header (its cache colour, see `colour_pad`).
    pub pad: usize,
    /// List objects whose `items` point into this buffer.
    pub refs: usize,
    /// Slots written so far (the longest sharer's length).
    pub used: usize,
}

/// Offset of `ListBuf::refs` relative to `items` (read by the JIT's list store stencil).
pub const LIST_BUF_REFS_OFFSET: isize =
    offset_of!(ListBuf, refs) as isize - size_of::<ListBuf>() as isize;
/// Offset of `ListBuf::used` relative to `items` (written by the optimizing tier's append).
pub const LIST_BUF_USED_OFFSET: isize =
    offset_of!(ListBuf, used) as isize - size_of::<ListBuf>() as isize;
const _: () = assert!(LIST_BUF_REFS_OFFSET == -16 && LIST_BUF_USED_OFFSET == -8);

fn buf_layout(cap: usize, pad: usize) -> Layout {
    Layout::from_size_align(pad + size_of::<ListBuf>() + cap * size_of::<Value>(), 8)
        .expect("list buffer layout")
}

/// Bytes of one cache line, the step between colours.
const LINE: usize = 64;
/// Colours span one 4 KiB page: the L1 set index is the address modulo 4 KiB.
const MAX_COLOURS: usize = 4096 / LINE;

/// Buffers allocated so far that were big enough to colour (picks the next colour).
static COLOURED: AtomicUsize = AtomicUsize::new(0);

/// Padding to put before a new buffer of `cap` slots: its cache colour.
///
/// mimalloc carves equal-sized buffers out of a page at its size class's stride, and the
/// classes above 1 KiB are multiples of 512 bytes or more: without padding, element `j` of
/// every row of a matrix built by appends (rows of 512 slots, 8 KiB + header, 10 KiB
/// stride) falls in one of two L1 sets, and a column walk (`b[k][j]` over `k`) misses L1
/// every time. Successive buffers start one cache line further on, cycling through as many
/// colours as a quarter of the buffer's size allows (at most 25% more memory, mimalloc's
/// own rounding bound) and one page's worth at most. matmul: 126 -> 64 ms in the
/// optimizing tier (ARCHITECTURE.md, decisions).
fn colour_pad(cap: usize) -> usize {
    let colours = (cap * size_of::<Value>() / 4 / LINE).min(MAX_COLOURS);
    if colours < 2 {
        return 0;
    }
    (COLOURED.fetch_add(1, Ordering::Relaxed) % colours) * LINE
}

/// A fresh buffer of `cap >= 1` slots (refs 1, used 0); returns its `items` pointer.
fn new_buf(cap: usize) -> *mut Value {
    let pad = colour_pad(cap);
    let layout = buf_layout(cap, pad);
    // SAFETY: the layout is non-zero sized (24-byte header).
    let p = unsafe { alloc::alloc(layout) };
    if p.is_null() {
        alloc::handle_alloc_error(layout);
    }
    // SAFETY: `p` is a fresh allocation with room for the padding and the header; items
    // follow them.
    unsafe {
        let h = p.add(pad);
        ptr::write(
            h as *mut ListBuf,
            ListBuf {
                pad,
                refs: 1,
                used: 0,
            },
        );
        h.add(size_of::<ListBuf>()) as *mut Value
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

    /// Drops the first `n < len` elements of a list whose buffer is private, in O(1): the
    /// buffer's header moves up to just before the new first element, over dropped slots,
    /// and its padding grows by as much, so the allocation it frees later is unchanged
    /// (`pad + header + cap * VALUE_SIZE` bytes from the same start). The dropped slots stay
    /// allocated until the buffer is reallocated (an append past `cap`) or freed.
    fn drop_front(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        debug_assert!(n < self.len && !self.is_shared());
        // SAFETY: `n < len <= cap`, so `items + n` and the header before it lie inside the
        // buffer, which only this list refers to; the old header is read before the new one
        // (which may overlap it when `n == 1`) is written.
        unsafe {
            let old = ptr::read(buf_of(self.items));
            let items = self.items.add(n);
            ptr::write(
                buf_of(items),
                ListBuf {
                    pad: old.pad + n * VALUE_SIZE,
                    refs: old.refs,
                    used: old.used - n,
                },
            );
            self.items = items;
        }
        self.cap -= n;
        self.len -= n;
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
            let pad = (*h).pad;
            alloc::dealloc((h as *mut u8).sub(pad), buf_layout(cap, pad));
        }
    }
}

impl Drop for ListObj {
    fn drop(&mut self) {
        // SAFETY: the object holds one reference to its buffer, given up here, once.
        unsafe { release_buf(self.items, self.cap) }
    }
}

// SAFETY: repr(C) with the header first; every `ListObj` is boxed with kind `List` by
// `Heap::register`, so the default `free` (which runs `Drop`) matches.
unsafe impl HeapObject for ListObj {
    const KIND: ObjKind = ObjKind::List;
    #[inline]
    fn trace(&self, t: &mut Tracer<'_>) {
        t.mark_all(self.items());
    }
    #[inline]
    fn size_bytes(&self) -> usize {
        // A shared buffer is counted once across its sharers.
        let refs = if self.items.is_null() {
            1
        } else {
            // SAFETY: a non-null `items` comes from `new_buf`.
            unsafe { (*buf_of(self.items)).refs.max(1) }
        };
        size_of::<ListObj>() + VALUE_SIZE * self.cap / refs
    }
}

impl Heap {
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
    /// A list of `n` elements that are not written yet (`n` slots, no room to spare).
    ///
    /// # Safety
    /// The caller writes every element before anything reads one: before the next
    /// collection, and before the list is reachable from Mochi code (optimized code stores
    /// a list literal's elements from its registers right after the allocation).
    pub unsafe fn alloc_list_unfilled(&mut self, n: usize) -> Value {
        let buf = if n == 0 {
            ptr::null_mut()
        } else {
            let b = new_buf(n);
            // SAFETY: `b` comes from `new_buf`; its `n` slots are written by the caller.
            unsafe { (*buf_of(b)).used = n };
            b
        };
        self.register(
            ListObj {
                header: Obj::new(ObjKind::List),
                items: buf,
                len: n,
                cap: n,
            },
            n * VALUE_SIZE,
        )
    }

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
        if l.len < l.cap && !l.is_shared() {
            // Room in a private buffer (the common case of an owned list, see
            // `Op::AppendOwned`): one store.
            // SAFETY: `len < cap`, so the buffer is non-null and slot `len` is in bounds; it
            // is private, so no other list sees the write.
            unsafe {
                *l.items.add(l.len) = v;
                (*buf_of(l.items)).used = l.len + 1;
            }
            l.len += 1;
            return Ok(());
        }
        let old_cap = l.cap;
        let n = l.len;
        l.resize(n + 1);
        l.items_mut()[n] = v;
        let new_cap = l.cap;
        self.since_gc += new_cap.saturating_sub(old_cap) * VALUE_SIZE;
        Ok(())
    }

    /// Makes `list` its own slice `[a:b]` (LANGUAGE.md 8.4 bounds) in place; `false` (and no
    /// change) if it is not a list, or the slice does not start at 0 and its buffer is
    /// shared. The caller guarantees that nothing else refers to `list` (its elements and
    /// every other list sharing its buffer are unaffected).
    ///
    /// O(1): a slice that drops a prefix moves the buffer's start past it rather than the
    /// elements down ([`ListObj::drop_front`]), so popping a queue with `q = q[1:]` costs the
    /// same at any length.
    pub fn list_keep_range(&mut self, list: Value, a: Option<i64>, b: Option<i64>) -> bool {
        let Some(l) = self.list_obj_mut(list) else {
            return false;
        };
        let (a, b) = crate::builtins::clamp_range(l.len, a, b);
        if a > 0 && l.is_shared() {
            return false;
        }
        if a < b {
            l.drop_front(a);
        }
        l.len = b - a;
        if !l.items.is_null() && !l.is_shared() {
            // A private buffer's used slots are this list's (`append` shares a buffer only
            // with a list that ends at its last used slot).
            // SAFETY: a non-null `items` comes from `new_buf`.
            unsafe { (*buf_of(l.items)).used = l.len };
        }
        true
    }

    /// Length of a list (0 if not a list).
    #[inline]
    pub fn list_len(&self, list: Value) -> usize {
        self.list_obj(list).map_or(0, |l| l.len)
    }
}
