//! The VM stack: one fixed, zero-initialised array of [`Value`] slots that frames live in.
//!
//! It never moves or grows, so frame pointers into it stay valid (the JIT keeps one in a
//! register) and the GC can scan it as one slice. Pages are committed lazily by the OS
//! (`alloc_zeroed` of a large block is an untouched anonymous mapping), so reserving room
//! for a million frames costs nothing until they are used. All-zero bits are `none`, a
//! valid non-pointer value, so unused slots are safe GC roots.
//!
//! The block comes from the system allocator, not the global one: mimalloc places it in its
//! arena, which it advises for transparent huge pages, so the first touch of the stack
//! faulted in a whole 2 MB page (+2.0 MB resident for an empty program). glibc serves a block
//! this large with a plain `mmap` (zeroed by the kernel, so `calloc` does not write it). On
//! Linux the first [`SMALL_PAGE_PREFIX`] bytes are then advised against huge pages and the
//! rest for them: shallow programs commit the stack 4 KB at a time, while deep recursion
//! still runs on 2 MB pages (with 4 KB pages throughout, 20 recursions 500,000 deep took 25%
//! more CPU time in the interpreter: TLB misses and page faults).

use std::alloc::{GlobalAlloc, Layout, System};

use crate::value::Value;

/// Default number of slots (16 Mi slots = 256 MiB of address space, committed as touched).
pub const DEFAULT_STACK_SLOTS: usize = 1 << 24;

/// Bytes at the bottom of the stack kept on small pages (131,072 slots: what a program that
/// does not recurse deeply ever touches).
pub const SMALL_PAGE_PREFIX: usize = 2 << 20;

pub struct VmStack {
    ptr: *mut Value,
    len: usize,
}

impl VmStack {
    /// Reserves `len` zeroed slots.
    pub fn new(len: usize) -> VmStack {
        let layout = Layout::array::<Value>(len.max(1)).expect("stack size overflows");
        // SAFETY: the layout has non-zero size; a null return is handled below.
        let ptr = unsafe { System.alloc_zeroed(layout) } as *mut Value;
        if ptr.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        advise_page_sizes(ptr as *mut u8, layout.size());
        VmStack { ptr, len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Base pointer of the slot array.
    pub fn as_mut_ptr(&mut self) -> *mut Value {
        self.ptr
    }

    /// The slots `0..upto` (clamped) as a slice, for GC root scanning.
    pub fn slots(&self, upto: usize) -> &[Value] {
        // SAFETY: `ptr` points at `len` initialised (zeroed or written) Values that live as
        // long as `self`; `upto` is clamped to `len`.
        unsafe { std::slice::from_raw_parts(self.ptr, upto.min(self.len)) }
    }

    /// The slots `0..upto` (clamped), mutable.
    pub fn slots_mut(&mut self, upto: usize) -> &mut [Value] {
        // SAFETY: as in `slots`, and `&mut self` guarantees exclusive access.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, upto.min(self.len)) }
    }
}

/// The huge-page boundary for [`advise_page_sizes`]: the first 2 MB-aligned address at least
/// [`SMALL_PAGE_PREFIX`] past `start`, if it falls before `end`.
fn huge_page_split(start: usize, end: usize) -> Option<usize> {
    const HUGE: usize = 2 << 20;
    let split = start
        .checked_add(SMALL_PAGE_PREFIX)?
        .checked_next_multiple_of(HUGE)?;
    (split < end).then_some(split)
}

/// Small pages for the prefix, transparent huge pages for the rest (see the module comment).
/// Only for blocks far above glibc's largest `mmap` threshold (32 MiB), which are a mapping
/// of their own: advising a small block would change the page size of its neighbours on the
/// `brk` heap.
#[cfg(target_os = "linux")]
fn advise_page_sizes(ptr: *mut u8, bytes: usize) {
    const PAGE: usize = 4096;
    if bytes < 64 << 20 {
        return;
    }
    let start = ptr as usize;
    let Some(split) = huge_page_split(start, start + bytes) else {
        return;
    };
    let head = start & !(PAGE - 1);
    // SAFETY: both ranges lie in the mapping glibc made for this block (its page-aligned start
    // holds glibc's chunk header, also ours to advise). Advice changes only the page size the
    // kernel backs the range with, never its contents; a failure leaves the default.
    unsafe {
        libc::madvise(
            head as *mut libc::c_void,
            split - head,
            libc::MADV_NOHUGEPAGE,
        );
        libc::madvise(
            split as *mut libc::c_void,
            start + bytes - split,
            libc::MADV_HUGEPAGE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_page_sizes(_ptr: *mut u8, _bytes: usize) {}

impl Drop for VmStack {
    fn drop(&mut self) {
        let layout = Layout::array::<Value>(self.len.max(1)).expect("stack size overflows");
        // SAFETY: `ptr` came from `System.alloc_zeroed` with this exact layout and is freed
        // once, by the same allocator.
        unsafe { System.dealloc(self.ptr as *mut u8, layout) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_pages_start_past_the_prefix_on_a_2mb_boundary() {
        let mb = 1 << 20;
        assert_eq!(
            huge_page_split(0x1000_0010, 0x2000_0000),
            Some(0x1000_0000 + 4 * mb)
        );
        assert_eq!(
            huge_page_split(0x1000_0000, 0x2000_0000),
            Some(0x1000_0000 + 2 * mb)
        );
        assert_eq!(huge_page_split(0x1000_0000, 0x1000_0000 + 2 * mb), None);
        assert_eq!(huge_page_split(usize::MAX - mb, usize::MAX), None);
    }

    /// A default-sized stack is zeroed `none`s and writable at both ends (the advice did not
    /// disturb the mapping).
    #[test]
    fn default_stack_is_zeroed_and_writable() {
        let mut s = VmStack::new(DEFAULT_STACK_SLOTS);
        assert_eq!(s.len(), DEFAULT_STACK_SLOTS);
        let slots = s.slots_mut(DEFAULT_STACK_SLOTS);
        for i in [0, 1, SMALL_PAGE_PREFIX / 16, DEFAULT_STACK_SLOTS - 1] {
            assert!(slots[i].bits == 0 && slots[i].tag == 0);
            slots[i] = Value::int(i as i64);
        }
        assert_eq!(
            s.slots(DEFAULT_STACK_SLOTS)[DEFAULT_STACK_SLOTS - 1],
            Value::int(DEFAULT_STACK_SLOTS as i64 - 1)
        );
    }
}
