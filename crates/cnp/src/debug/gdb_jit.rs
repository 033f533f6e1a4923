//! GDB's JIT interface: a linked list of in-memory object files rooted at
//! `__jit_debug_descriptor`, and an empty function `__jit_debug_register_code` on which GDB
//! sets a breakpoint to learn that the list changed (GDB manual, "JIT Interface").
//!
//! Both symbols must keep exactly these names and this layout (version 1). Registration
//! and unregistration are serialized by a mutex; GDB reads the list only while the process
//! is stopped in `__jit_debug_register_code`.

use std::ptr;
use std::sync::Mutex;

const JIT_NOACTION: u32 = 0;
const JIT_REGISTER_FN: u32 = 1;
const JIT_UNREGISTER_FN: u32 = 2;

#[repr(C)]
struct JitCodeEntry {
    next: *mut JitCodeEntry,
    prev: *mut JitCodeEntry,
    symfile_addr: *const u8,
    symfile_size: u64,
}

/// `struct jit_descriptor` of the GDB manual.
#[repr(C)]
pub struct JitDescriptor {
    version: u32,
    action_flag: u32,
    relevant_entry: *mut JitCodeEntry,
    first_entry: *mut JitCodeEntry,
}

/// The descriptor GDB reads. Mutated only under [`LOCK`].
#[unsafe(no_mangle)]
#[used]
pub static mut __jit_debug_descriptor: JitDescriptor = JitDescriptor {
    version: 1,
    action_flag: JIT_NOACTION,
    relevant_entry: ptr::null_mut(),
    first_entry: ptr::null_mut(),
};

/// GDB breaks here. The asm barrier keeps the call and the body from being optimized away
/// (an empty function could be merged or elided, and GDB would never stop).
#[unsafe(no_mangle)]
#[inline(never)]
pub extern "C" fn __jit_debug_register_code() {
    // SAFETY: an empty asm statement with no operands has no effect.
    unsafe { std::arch::asm!("", options(nostack, preserves_flags)) };
}

static LOCK: Mutex<()> = Mutex::new(());

/// An object file registered with GDB; unregistered on drop.
pub struct Registration {
    entry: *mut JitCodeEntry,
    // Owns the bytes `entry.symfile_addr` points at.
    _object: Box<[u8]>,
}

// SAFETY: the entry is only touched under LOCK; the object bytes are immutable.
unsafe impl Send for Registration {}
// SAFETY: as above; `&Registration` exposes nothing.
unsafe impl Sync for Registration {}

/// Hands `object` (an ELF file, e.g. from [`super::elf::build`]) to an attached GDB (or to
/// one that attaches later: GDB walks the list when it attaches).
pub fn register(object: Vec<u8>) -> Registration {
    let object = object.into_boxed_slice();
    let entry = Box::into_raw(Box::new(JitCodeEntry {
        next: ptr::null_mut(),
        prev: ptr::null_mut(),
        symfile_addr: object.as_ptr(),
        symfile_size: object.len() as u64,
    }));
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: the descriptor and entries are only mutated here and in `drop`, under LOCK;
    // `entry` is a fresh allocation, the old first entry (if any) is live until unregistered.
    unsafe {
        let d = &raw mut __jit_debug_descriptor;
        (*entry).next = (*d).first_entry;
        if !(*d).first_entry.is_null() {
            (*(*d).first_entry).prev = entry;
        }
        (*d).first_entry = entry;
        (*d).relevant_entry = entry;
        (*d).action_flag = JIT_REGISTER_FN;
        __jit_debug_register_code();
        (*d).action_flag = JIT_NOACTION;
    }
    Registration {
        entry,
        _object: object,
    }
}

impl Registration {
    /// The registered object file's bytes.
    pub fn object(&self) -> &[u8] {
        &self._object
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: `self.entry` is in the list (inserted by `register`, removed only here);
        // its neighbours are live entries; mutation is serialized by LOCK.
        unsafe {
            let d = &raw mut __jit_debug_descriptor;
            let e = self.entry;
            if (*e).prev.is_null() {
                (*d).first_entry = (*e).next;
            } else {
                (*(*e).prev).next = (*e).next;
            }
            if !(*e).next.is_null() {
                (*(*e).next).prev = (*e).prev;
            }
            (*d).relevant_entry = e;
            (*d).action_flag = JIT_UNREGISTER_FN;
            __jit_debug_register_code();
            (*d).action_flag = JIT_NOACTION;
            drop(Box::from_raw(e));
        }
    }
}
