//! `perf` map writer: lines `ADDR SIZE NAME` (hex, no `0x`) in `/tmp/perf-PID.map`, which
//! `perf report` reads to name JIT code.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::buffer::{Layout, Mark};
use crate::exec_mem::ExecCode;

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

    /// Records one entry per emitted stencil of `code` (`PREFIX:STENCIL`), each running to the
    /// next stencil's start (the last one to the end of the code), plus `PREFIX:veneers` if any.
    pub fn add_stencils(
        &mut self,
        code: &ExecCode,
        layout: &Layout,
        marks: &[Mark],
        prefix: &str,
    ) -> io::Result<()> {
        for (index, mark) in marks.iter().enumerate() {
            let end = marks
                .get(index + 1)
                .map_or(layout.code_len, |next| next.offset as usize);
            let size = end - mark.offset as usize;
            if size > 0 {
                let name = format!("{prefix}:{}", mark.name);
                self.add(code.addr() + mark.offset as usize, size, &name)?;
            }
        }
        if layout.veneers > 0 {
            let size = code.len() - layout.veneer_offset;
            self.add(
                code.addr() + layout.veneer_offset,
                size,
                &format!("{prefix}:veneers"),
            )?;
        }
        Ok(())
    }

    /// Writes buffered lines to the file.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
