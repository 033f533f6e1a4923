//! `perf` map writer: lines `ADDR SIZE NAME` (hex, no `0x`) in `/tmp/perf-PID.map`, which
//! `perf report` reads to name JIT code.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An open perf map. Lines are buffered; [`PerfMap::flush`] (or drop) writes them out.
pub struct PerfMap {
    out: BufWriter<File>,
    path: PathBuf,
}

impl PerfMap {
    /// Opens (appending) `/tmp/perf-<pid>.map` for this process.
    pub fn open() -> io::Result<PerfMap> {
        PerfMap::open_at(&Self::default_path())
    }

    /// The path `perf` looks at for this process.
    pub fn default_path() -> PathBuf {
        PathBuf::from(format!("/tmp/perf-{}.map", std::process::id()))
    }

    /// Opens (appending) a perf map at `path`.
    pub fn open_at(path: &Path) -> io::Result<PerfMap> {
        let file = File::options().create(true).append(true).open(path)?;
        Ok(PerfMap {
            out: BufWriter::new(file),
            path: path.to_owned(),
        })
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records `size` bytes of code at `addr` named `name` (spaces are fine; newlines are
    /// replaced, since they would end the line).
    pub fn add(&mut self, addr: usize, size: usize, name: &str) -> io::Result<()> {
        write!(self.out, "{addr:x} {size:x} ")?;
        if name.contains('\n') {
            writeln!(self.out, "{}", name.replace('\n', " "))
        } else {
            writeln!(self.out, "{name}")
        }
    }

    /// Writes buffered lines to the file.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
