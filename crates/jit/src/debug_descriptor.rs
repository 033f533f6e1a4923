//! The descriptor `tools/gdb/mochi.py` (`mochi-bt`) reads to print the Mochi call stack.
//!
//! Stitched Mochi calls are tail jumps, so GDB sees no native frame per Mochi call; the call
//! stack lives on the VM stack instead. Frame layout the script assumes (see `mochi.h`):
//!
//! * the running function's frame pointer (slot 0) is in `r12` on x86_64 (the first
//!   `preserve_none` argument; every stencil starts with it there);
//! * `frame[-2].bits` (bytes `frame - 32`) is the return continuation: an address inside the
//!   caller's `Call`/`CallValue` op (its resume stencil), or `exit_addr` for the frame Rust
//!   entered;
//! * the caller's frame is `frame - caller_delta`, where `caller_delta` is the call's `base`
//!   slot times 16 (recorded per op below).
//!
//! Layout of `MOCHI_DEBUG` (a pointer, null unless `--debug-info`), all little-endian u64
//! unless noted; `tools/gdb/mochi.py` mirrors it, change both together:
//!
//! ```text
//! MochiDebug { magic: u64 "MOCHIDBG", version: u32 = 1, value_size: u32,
//!              code_start, code_end, exit_addr: u64, file: NameRef,
//!              nfuncs: u64, names: *NameRef, nsites: u64, sites: *Site }
//! NameRef    { ptr: u64, len: u64 }                       (UTF-8, not NUL-terminated)
//! Site       { addr: u64, func: u32, line: u32, caller_delta: u64 }   (sorted by addr)
//! ```
//! There is one `Site` per stitched op: the op's code runs from `addr` to the next site.

use std::sync::atomic::{AtomicPtr, Ordering};

use mochi_bytecode::Program;
use mochi_bytecode::ops::Op;
use mochi_runtime::value::VALUE_SIZE;

use crate::JitCode;

/// "MOCHIDBG" read as a little-endian u64.
pub const MAGIC: u64 = u64::from_le_bytes(*b"MOCHIDBG");

#[repr(C)]
pub struct NameRef {
    pub ptr: *const u8,
    pub len: u64,
}

#[repr(C)]
pub struct Site {
    pub addr: u64,
    pub func: u32,
    pub line: u32,
    pub caller_delta: u64,
}

#[repr(C)]
pub struct MochiDebug {
    pub magic: u64,
    pub version: u32,
    pub value_size: u32,
    pub code_start: u64,
    pub code_end: u64,
    pub exit_addr: u64,
    pub file: NameRef,
    pub nfuncs: u64,
    pub names: *const NameRef,
    pub nsites: u64,
    pub sites: *const Site,
}

/// Where GDB finds the descriptor of the code registered last.
#[unsafe(no_mangle)]
#[used]
pub static MOCHI_DEBUG: AtomicPtr<MochiDebug> = AtomicPtr::new(std::ptr::null_mut());

/// Owns a published descriptor and everything it points at; unpublishes it on drop.
pub struct Descriptor {
    desc: Box<MochiDebug>,
    _names: Vec<NameRef>,
    _strings: Vec<String>,
    _sites: Vec<Site>,
}

// SAFETY: the raw pointers point into the owned vectors, which are never mutated.
unsafe impl Send for Descriptor {}
// SAFETY: as above.
unsafe impl Sync for Descriptor {}

/// Builds the descriptor for `jit` and publishes it in [`MOCHI_DEBUG`].
pub fn publish(
    program: &Program,
    jit: &JitCode,
    file: &str,
    line_of: &dyn Fn(u32) -> u32,
) -> Descriptor {
    let mut strings: Vec<String> = program.functions.iter().map(|f| f.name.clone()).collect();
    strings.push(file.to_string());
    let name_ref = |s: &String| NameRef {
        ptr: s.as_ptr(),
        len: s.len() as u64,
    };
    let names: Vec<NameRef> = strings[..program.functions.len()]
        .iter()
        .map(name_ref)
        .collect();
    let base = jit.addr() as u64;
    let sites: Vec<Site> = jit
        .op_marks
        .iter()
        .map(|m| {
            let f = &program.functions[m.func as usize];
            let op = &f.code[m.pc as usize];
            let caller_delta = match *op {
                Op::Call { base, .. } | Op::CallValue { base, .. } => {
                    base.0 as u64 * VALUE_SIZE as u64
                }
                _ => 0,
            };
            Site {
                addr: base + m.offset as u64,
                func: m.func,
                line: line_of(f.offsets[m.pc as usize]),
                caller_delta,
            }
        })
        .collect();
    let mut desc = Box::new(MochiDebug {
        magic: MAGIC,
        version: 1,
        value_size: VALUE_SIZE as u32,
        code_start: base,
        code_end: base + jit.layout.code_len as u64,
        exit_addr: jit.exit_addr() as u64,
        file: name_ref(strings.last().expect("the file name was pushed")),
        nfuncs: names.len() as u64,
        names: names.as_ptr(),
        nsites: sites.len() as u64,
        sites: sites.as_ptr(),
    });
    MOCHI_DEBUG.store(&mut *desc, Ordering::Release);
    Descriptor {
        desc,
        _names: names,
        _strings: strings,
        _sites: sites,
    }
}

impl Drop for Descriptor {
    fn drop(&mut self) {
        let _ = MOCHI_DEBUG.compare_exchange(
            &mut *self.desc,
            std::ptr::null_mut(),
            Ordering::AcqRel,
            Ordering::Relaxed,
        );
    }
}
