//! perf's jitdump format (`tools/perf/Documentation/jitdump-specification.txt` in Linux):
//! a header, then per function a `JIT_CODE_DEBUG_INFO` record (address → source line) and a
//! `JIT_CODE_LOAD` record (name, address, a copy of the code). `perf record -k 1` sees the
//! file because it is mapped executable once; `perf inject --jit` turns each function into
//! an ELF file with line tables that `perf report`/`perf annotate` read.
//!
//! All fields are in the host's byte order; timestamps are `CLOCK_MONOTONIC` nanoseconds
//! (what `perf record -k 1` uses).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::Arch;

/// "JiTD" as a little-endian u32.
pub const MAGIC: u32 = 0x4A69_5444;
/// The format version perf reads.
pub const VERSION: u32 = 1;
/// Size of the file header.
pub const HEADER_SIZE: u32 = 40;
/// Record id of a code load.
pub const JIT_CODE_LOAD: u32 = 0;
/// Record id of a line table.
pub const JIT_CODE_DEBUG_INFO: u32 = 2;

/// An open jitdump file.
pub struct JitDump {
    out: BufWriter<File>,
    path: PathBuf,
    next_index: u64,
}

fn timestamp() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn elf_machine(arch: Arch) -> u32 {
    match arch {
        Arch::X86_64 => 62,
        Arch::Aarch64 => 183,
        Arch::Riscv64 => 243,
    }
}

impl JitDump {
    /// The path perf expects for this process in `dir`: `jit-<pid>.dump`.
    pub fn default_path(dir: &Path) -> PathBuf {
        dir.join(format!("jit-{}.dump", std::process::id()))
    }

    /// Creates the file at `path`, writes the header and maps it executable once, so that
    /// `perf record` logs the mapping (which is how `perf inject` finds the file).
    pub fn create(path: &Path, arch: Arch) -> io::Result<JitDump> {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        let mut out = BufWriter::new(file);
        out.write_all(&MAGIC.to_ne_bytes())?;
        out.write_all(&VERSION.to_ne_bytes())?;
        out.write_all(&HEADER_SIZE.to_ne_bytes())?;
        out.write_all(&elf_machine(arch).to_ne_bytes())?;
        out.write_all(&0u32.to_ne_bytes())?;
        out.write_all(&std::process::id().to_ne_bytes())?;
        out.write_all(&timestamp().to_ne_bytes())?;
        out.write_all(&0u64.to_ne_bytes())?;
        out.flush()?;
        map_marker(out.get_ref())?;
        Ok(JitDump {
            out,
            path: path.to_owned(),
            next_index: 0,
        })
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records one function: its line table (`(address, line)` rows, absolute addresses,
    /// all in `file`), then its code.
    pub fn add_function(
        &mut self,
        name: &str,
        code: &[u8],
        addr: u64,
        file: &str,
        lines: &[(u64, u32)],
    ) -> io::Result<()> {
        let now = timestamp();
        if !lines.is_empty() {
            let entries: usize = lines.iter().map(|_| 16 + file.len() + 1).sum();
            let size = 16 + 16 + entries;
            self.record_header(JIT_CODE_DEBUG_INFO, size, now)?;
            self.out.write_all(&addr.to_ne_bytes())?;
            self.out.write_all(&(lines.len() as u64).to_ne_bytes())?;
            for &(at, line) in lines {
                self.out.write_all(&at.to_ne_bytes())?;
                self.out.write_all(&line.to_ne_bytes())?;
                self.out.write_all(&0u32.to_ne_bytes())?;
                self.out.write_all(file.as_bytes())?;
                self.out.write_all(&[0])?;
            }
        }
        let size = 16 + 8 + 4 * 8 + name.len() + 1 + code.len();
        self.record_header(JIT_CODE_LOAD, size, now)?;
        let pid = std::process::id();
        // SAFETY: gettid has no preconditions.
        let tid = unsafe { libc::gettid() } as u32;
        self.out.write_all(&pid.to_ne_bytes())?;
        self.out.write_all(&tid.to_ne_bytes())?;
        self.out.write_all(&addr.to_ne_bytes())?; // vma
        self.out.write_all(&addr.to_ne_bytes())?; // code_addr
        self.out.write_all(&(code.len() as u64).to_ne_bytes())?;
        self.out.write_all(&self.next_index.to_ne_bytes())?;
        self.next_index += 1;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(&[0])?;
        self.out.write_all(code)
    }

    fn record_header(&mut self, id: u32, size: usize, timestamp: u64) -> io::Result<()> {
        self.out.write_all(&id.to_ne_bytes())?;
        self.out.write_all(&(size as u32).to_ne_bytes())?;
        self.out.write_all(&timestamp.to_ne_bytes())
    }

    /// Writes buffered records to the file.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Maps the file's first page executable and leaves the mapping in place: perf records the
/// `mmap` event with the file's path, which is all it needs.
fn map_marker(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: mapping a file we own read-only/executable, private; the mapping is never
    // accessed and lives until exit (perf wants it present for the whole run).
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            4096,
            libc::PROT_READ | libc::PROT_EXEC,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
