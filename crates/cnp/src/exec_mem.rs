//! Pooled W^X executable memory: the only module of `cnp` with `unsafe`.
//!
//! [`ExecPool`] maps large chunks read-write with `mmap` and hands out space by bumping a
//! pointer. Finished code is copied in while its pages are still RW; [`ExecPool::publish`]
//! then flushes the instruction cache (where the target needs it) and flips every written page
//! to read+execute in one `mprotect` per chunk. A page is never writable and executable at
//! once, and published pages are never written again: the next code starts on a fresh page.
//! Memory is returned to the OS only when the pool is dropped.

use crate::patch::PatchError;

/// Default chunk size: large enough that `mmap` is rare (it costs microseconds).
pub const DEFAULT_CHUNK_SIZE: usize = 4 << 20;

struct Chunk {
    base: *mut u8,
    size: usize,
    /// Bytes `[0, published)` are read+execute (page-aligned).
    published: usize,
    /// Bytes `[published, used)` are written, read-write, not yet executable.
    used: usize,
}

/// A pool of executable memory chunks. Not `Sync`: one pool per compiling thread.
pub struct ExecPool {
    chunks: Vec<Chunk>,
    chunk_size: usize,
    page_size: usize,
}

/// Code written into an [`ExecPool`]. Runnable after [`ExecPool::publish`]; valid as long as
/// the pool lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecCode {
    addr: usize,
    len: usize,
}

impl ExecCode {
    /// Address of the first byte (the first emitted stencil's entry).
    pub fn addr(&self) -> usize {
        self.addr
    }

    /// Length in bytes (code, then data blobs, then veneers).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no byte was emitted.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entry pointer, to be cast to a function pointer by the user after publishing.
    pub fn as_ptr(&self) -> *const u8 {
        self.addr as *const u8
    }
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn round_up(value: usize, align: usize) -> usize {
    value.div_ceil(align) * align
}

impl ExecPool {
    /// A pool mapping chunks of [`DEFAULT_CHUNK_SIZE`].
    pub fn new() -> ExecPool {
        ExecPool::with_chunk_size(DEFAULT_CHUNK_SIZE)
    }

    /// A pool mapping chunks of at least `chunk_size` bytes (rounded up to pages).
    pub fn with_chunk_size(chunk_size: usize) -> ExecPool {
        // SAFETY: sysconf has no preconditions.
        let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        let page_size = if page_size > 0 {
            page_size as usize
        } else {
            4096
        };
        ExecPool {
            chunks: Vec::new(),
            chunk_size: round_up(chunk_size.max(1), page_size),
            page_size,
        }
    }

    /// Total bytes mapped.
    pub fn mapped_bytes(&self) -> usize {
        self.chunks.iter().map(|chunk| chunk.size).sum()
    }

    /// Address where the next `len` bytes will be written (16-byte aligned), mapping a new
    /// chunk if the current one has no room. Nothing is consumed until [`ExecPool::write`].
    pub fn reserve(&mut self, len: usize) -> Result<usize, PatchError> {
        if let Some(chunk) = self.chunks.last() {
            let start = round_up(chunk.used, 16);
            if start + len <= chunk.size {
                return Ok(chunk.base as usize + start);
            }
        }
        let size = round_up(len.max(self.chunk_size), self.page_size);
        // SAFETY: an anonymous private mapping at an address of the kernel's choice touches no
        // existing memory; the result is checked against MAP_FAILED.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(PatchError::Memory {
                errno: last_errno(),
            });
        }
        self.chunks.push(Chunk {
            base: base.cast(),
            size,
            published: 0,
            used: 0,
        });
        Ok(base as usize)
    }

    /// Copies `pieces` back to back to the address returned by the last
    /// [`ExecPool::reserve`] call, whose `len` must cover them.
    ///
    /// # Panics
    /// If the pieces do not fit the last reservation (a bug in the caller).
    pub fn write(&mut self, addr: usize, pieces: &[&[u8]]) -> ExecCode {
        let total: usize = pieces.iter().map(|piece| piece.len()).sum();
        let chunk = self.chunks.last_mut().expect("write without reserve");
        let start = addr.wrapping_sub(chunk.base as usize);
        assert!(
            start >= chunk.used && start >= chunk.published && start + total <= chunk.size,
            "write outside the last reservation"
        );
        let mut cursor = start;
        for piece in pieces {
            // SAFETY: [start, start + total) lies inside this chunk's mapping (checked above),
            // beyond `published`, so those pages are still PROT_READ|PROT_WRITE; the source is
            // a Rust slice that cannot overlap the mapping, which Rust never hands out.
            unsafe {
                std::ptr::copy_nonoverlapping(piece.as_ptr(), chunk.base.add(cursor), piece.len());
            }
            cursor += piece.len();
        }
        chunk.used = start + total;
        ExecCode { addr, len: total }
    }

    /// Makes everything written so far executable (and no longer writable): one icache flush
    /// and one `mprotect` per chunk with unpublished bytes.
    pub fn publish(&mut self) -> Result<(), PatchError> {
        let page_size = self.page_size;
        for chunk in &mut self.chunks {
            if chunk.used <= chunk.published {
                continue;
            }
            let end = round_up(chunk.used, page_size).min(chunk.size);
            // SAFETY: [published, end) is inside the mapping and page-aligned at both ends.
            let start = unsafe { chunk.base.add(chunk.published) };
            flush_icache(start as usize, chunk.base as usize + end);
            // SAFETY: the range is a page-aligned part of a mapping this pool owns; no Rust
            // reference points into it, so changing its protection invalidates nothing.
            let result = unsafe {
                libc::mprotect(
                    start.cast(),
                    end - chunk.published,
                    libc::PROT_READ | libc::PROT_EXEC,
                )
            };
            if result != 0 {
                return Err(PatchError::Memory {
                    errno: last_errno(),
                });
            }
            chunk.published = end;
            chunk.used = end;
        }
        Ok(())
    }

    /// Whether `code` is executable (lies in published pages).
    pub fn is_published(&self, code: &ExecCode) -> bool {
        self.chunks.iter().any(|chunk| {
            let base = chunk.base as usize;
            code.addr >= base && code.addr + code.len <= base + chunk.published
        })
    }
}

// SAFETY: the chunks are mappings owned exclusively by this pool (no aliasing handles exist),
// so moving the pool to another thread moves their ownership with it.
unsafe impl Send for ExecPool {}

impl Default for ExecPool {
    fn default() -> Self {
        ExecPool::new()
    }
}

impl Drop for ExecPool {
    fn drop(&mut self) {
        for chunk in &self.chunks {
            // SAFETY: each chunk is a mapping this pool created and still owns; code from it
            // must not run after the pool is dropped (documented on ExecCode).
            unsafe {
                libc::munmap(chunk.base.cast(), chunk.size);
            }
        }
    }
}

/// Makes freshly written instructions in `[start, end)` visible to instruction fetch.
#[cfg(target_arch = "aarch64")]
fn flush_icache(start: usize, end: usize) {
    // The data and instruction cache line sizes come from CTR_EL0 (as in libgcc's
    // __clear_cache): clean D-cache lines to the point of unification, then invalidate the
    // I-cache lines, then synchronize.
    let ctr: u64;
    // SAFETY: reading CTR_EL0 is allowed at EL0 on Linux and has no side effects.
    unsafe { std::arch::asm!("mrs {0}, ctr_el0", out(reg) ctr, options(nomem, nostack)) };
    let dline = 4usize << ((ctr >> 16) & 0xf);
    let iline = 4usize << (ctr & 0xf);
    let mut addr = start & !(dline - 1);
    while addr < end {
        // SAFETY: `addr` is inside a mapping this pool owns; `dc cvau` only cleans a line.
        unsafe { std::arch::asm!("dc cvau, {0}", in(reg) addr, options(nostack)) };
        addr += dline;
    }
    // SAFETY: barriers have no memory-safety preconditions.
    unsafe { std::arch::asm!("dsb ish", options(nostack)) };
    let mut addr = start & !(iline - 1);
    while addr < end {
        // SAFETY: `addr` is inside a mapping this pool owns; `ic ivau` only invalidates a line.
        unsafe { std::arch::asm!("ic ivau, {0}", in(reg) addr, options(nostack)) };
        addr += iline;
    }
    // SAFETY: barriers have no memory-safety preconditions.
    unsafe { std::arch::asm!("dsb ish", "isb", options(nostack)) };
}

/// x86_64 keeps instruction fetch coherent with stores: nothing to do.
#[cfg(not(target_arch = "aarch64"))]
fn flush_icache(_start: usize, _end: usize) {}
