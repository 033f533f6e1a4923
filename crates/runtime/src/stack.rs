//! The VM stack: one fixed, zero-initialised array of [`Value`] slots that frames live in.
//!
//! It never moves or grows, so frame pointers into it stay valid (the JIT keeps one in a
//! register) and the GC can scan it as one slice. Pages are committed lazily by the OS
//! (`alloc_zeroed` of a large block is an untouched anonymous mapping), so reserving room
//! for a million frames costs nothing until they are used. All-zero bits are `none`, a
//! valid non-pointer value, so unused slots are safe GC roots.

use std::alloc::{self, Layout};

use crate::value::Value;

/// Default number of slots (16 Mi slots = 256 MiB of address space, committed as touched).
pub const DEFAULT_STACK_SLOTS: usize = 1 << 24;

pub struct VmStack {
    ptr: *mut Value,
    len: usize,
}

impl VmStack {
    /// Reserves `len` zeroed slots.
    pub fn new(len: usize) -> VmStack {
        let layout = Layout::array::<Value>(len.max(1)).expect("stack size overflows");
        // SAFETY: the layout has non-zero size; a null return is handled below.
        let ptr = unsafe { alloc::alloc_zeroed(layout) } as *mut Value;
        if ptr.is_null() {
            alloc::handle_alloc_error(layout);
        }
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

impl Drop for VmStack {
    fn drop(&mut self) {
        let layout = Layout::array::<Value>(self.len.max(1)).expect("stack size overflows");
        // SAFETY: `ptr` came from `alloc_zeroed` with this exact layout and is freed once.
        unsafe { alloc::dealloc(self.ptr as *mut u8, layout) }
    }
}
