//! `load` and `save` (LANGUAGE.md §18): options and the choice of format, paths (standard
//! input and output, the `MOCHI_ROOT` retry), atomic writes, and error texts that name the
//! file. One module per codec (`csv`, `json` with JSON Lines, `yaml`); `rows` converts
//! rows to the requested row type.
//!
//! `load` reads standard input through the context's reader (the one `input()` uses) and
//! `save` writes standard output through the context's writer (the one `print` uses), so
//! both keep program order. A file is written to a temporary file in the same directory
//! and renamed over the target, so a failed `save` never leaves a half-written file.

mod csv;
mod csv_quotes;
mod json;
mod rows;
mod yaml;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::builtins::Context;
use crate::error::{RtResult, RuntimeError};
use crate::heap::{Heap, ObjKind};
use crate::value::Value;

pub use rows::RowTypes;

/// A data format (§18.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Tsv,
    Json,
    Jsonl,
    Yaml,
}

impl Format {
    fn named(name: &str) -> Option<Format> {
        Some(match name {
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "yaml" | "yml" => Format::Yaml,
            _ => return None,
        })
    }

    /// The format the path's extension names (case-insensitively).
    fn of_path(path: &str) -> Option<Format> {
        let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
        Format::named(&ext)
    }
}

/// The `with` options (§18.4).
struct Options {
    format: Option<Format>,
    header: bool,
    delimiter: char,
}

impl Options {
    /// Reads the options map (`none` when absent); `op` is `load` or `save`.
    fn read(heap: &Heap, v: Value, op: &str) -> RtResult<Options> {
        let mut o = Options {
            format: None,
            header: true,
            delimiter: ',',
        };
        if v.is_none() {
            return Ok(o);
        }
        let Some(m) = heap.as_map(v) else {
            return Err(RuntimeError::new(format!("{op} options must be a map")));
        };
        for (key, _, value) in m.entries_sorted_with_text() {
            let bad = |what: &str| RuntimeError::new(format!("{op} option {key:?} must be {what}"));
            match key.as_str() {
                "format" => {
                    let name = heap.as_str(value).ok_or_else(|| bad("a string"))?;
                    o.format = Some(Format::named(name).ok_or_else(|| {
                        RuntimeError::new(format!("unsupported format {name:?}"))
                    })?);
                }
                "header" => {
                    if !value.is_bool() {
                        return Err(bad("a bool"));
                    }
                    o.header = value.as_bool();
                }
                "delimiter" => {
                    let text = heap.as_str(value).ok_or_else(|| bad("a string"))?;
                    let mut chars = text.chars();
                    o.delimiter = match (chars.next(), chars.next()) {
                        (Some(c), None) if !matches!(c, '"' | '\r' | '\n') => c,
                        _ => return Err(bad("one character other than '\"', CR and LF")),
                    };
                }
                _ => return Err(RuntimeError::new(format!("{op} option {key:?} is unknown"))),
            }
        }
        Ok(o)
    }

    /// The format: the option, else the path's extension, else CSV (§18.3).
    fn format(&self, path: Option<&str>) -> Format {
        self.format
            .or_else(|| path.and_then(Format::of_path))
            .unwrap_or(Format::Csv)
    }

    /// The CSV delimiter: tab for TSV.
    fn delimiter(&self, format: Format) -> char {
        if format == Format::Tsv {
            '\t'
        } else {
            self.delimiter
        }
    }
}

/// The path argument: `None` for standard input/output (no path, `"-"`, or the device
/// path of the stream itself, `stream` = `"stdin"` or `"stdout"`, which then shares the
/// reader `input()` uses or the writer `print` uses and so keeps program order).
fn path_arg(heap: &Heap, v: Value, stream: &str) -> Option<String> {
    let fd = if stream == "stdin" { "0" } else { "1" };
    heap.as_str(v)
        .filter(|p| {
            *p != "-"
                && p.strip_prefix("/dev/") != Some(stream)
                && p.strip_prefix("/dev/fd/") != Some(fd)
                && p.strip_prefix("/proc/self/fd/") != Some(fd)
        })
        .map(str::to_string)
}

/// The operating system's reason, worded as Go's `os` package words it (LANGUAGE.md
/// §18.9 quotes those texts).
fn os_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        io::ErrorKind::NotADirectory => "not a directory".into(),
        _ => {
            let text = e.to_string();
            let text = match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// The root `mochi run` stands in for an unset `MOCHI_ROOT` ([`set_program_path`]).
static PROGRAM_ROOT: OnceLock<PathBuf> = OnceLock::new();

/// Records the program being run: upstream's `mochi run` sets `MOCHI_ROOT` itself, to the
/// nearest ancestor of the program's directory that holds a `go.mod`, else that directory
/// (§18.5), so a relative `load` path that the working directory does not resolve is found
/// next to the program. Used only when the environment does not set `MOCHI_ROOT`.
pub fn set_program_path(program: &Path) {
    let dir = match program.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    let root = dir
        .ancestors()
        .find(|a| a.join("go.mod").is_file())
        .map_or_else(|| dir.clone(), Path::to_path_buf);
    let _ = PROGRAM_ROOT.set(root);
}

/// Opens `path` for reading; a relative path that cannot be opened is retried under
/// `MOCHI_ROOT` (or the root [`set_program_path`] derived) with its leading `../`
/// removed (§18.5).
fn open(path: &str) -> io::Result<File> {
    let first = File::open(path);
    if first.is_ok() || Path::new(path).is_absolute() {
        return first;
    }
    let root = match std::env::var_os("MOCHI_ROOT") {
        Some(r) => PathBuf::from(r),
        None => match PROGRAM_ROOT.get() {
            Some(r) => r.clone(),
            None => return first,
        },
    };
    let mut rest = path;
    while let Some(r) = rest.strip_prefix("../") {
        rest = r;
    }
    File::open(root.join(rest)).or(first)
}

/// `load PATH as T with OPTIONS` (§18): the rows, converted to the row type `template`
/// describes (`rows::RowTypes`).
pub fn load(ctx: &mut Context, path: Value, template: Value, options: Value) -> RtResult<Value> {
    let Context { heap, input, .. } = ctx;
    let path = path_arg(heap, path, "stdin");
    let types = RowTypes::from_template(heap, template)?;
    let opts = Options::read(heap, options, "load")?;
    let format = opts.format(path.as_deref());
    let name = path.clone().unwrap_or_else(|| "<stdin>".into());
    let mut file;
    let reader: &mut dyn BufRead = match &path {
        Some(p) => {
            let f = open(p)
                .map_err(|e| RuntimeError::new(format!("load: open {p}: {}", os_reason(&e))))?;
            file = BufReader::with_capacity(1 << 16, f);
            &mut file
        }
        None => input.as_mut(),
    };
    let read_error = |e: io::Error| RuntimeError::new(format!("load: {name}: {}", os_reason(&e)));
    let rows = match format {
        Format::Json => {
            let mut text = String::new();
            reader.read_to_string(&mut text).map_err(read_error)?;
            json::read_json(heap, &text, &types)
        }
        Format::Jsonl => json::read_jsonl(heap, reader, &types),
        Format::Csv | Format::Tsv => {
            csv::read(heap, reader, &types, opts.header, opts.delimiter(format))
        }
        Format::Yaml => {
            let mut text = String::new();
            reader.read_to_string(&mut text).map_err(read_error)?;
            yaml::read(heap, &text, &types)
        }
    };
    // A row that does not convert reads `load: row N: …` (LANGUAGE.md §18.9), the file
    // named after it; every other failure is about the file and names it first.
    rows.map_err(|e| {
        RuntimeError::new(if e.starts_with("row ") {
            format!("load: {e} ({name})")
        } else {
            format!("load: {name}: {e}")
        })
    })
}

/// `save ROWS to PATH with OPTIONS` (§18.8). Returns `none`.
pub fn save(ctx: &mut Context, rows: Value, path: Value, options: Value) -> RtResult<Value> {
    let heap = &ctx.heap;
    let items = heap
        .as_list(rows)
        .filter(|items| {
            items
                .iter()
                .all(|&r| matches!(heap.kind(r), Some(ObjKind::Map | ObjKind::Struct)))
        })
        .ok_or_else(|| RuntimeError::new("save source must be list of maps"))?;
    for &r in items {
        crate::format::check_acyclic(heap, r)?;
    }
    let path = path_arg(heap, path, "stdout");
    let opts = Options::read(heap, options, "save")?;
    let format = opts.format(path.as_deref());
    let mut text = String::new();
    match format {
        Format::Json => json::write_json(heap, items, &mut text)?,
        Format::Jsonl => json::write_jsonl(heap, items, &mut text)?,
        Format::Csv | Format::Tsv => {
            csv::write(heap, items, opts.header, opts.delimiter(format), &mut text)?
        }
        Format::Yaml => yaml::write(heap, items, &mut text),
    }
    match path {
        None => ctx
            .out
            .write_all(text.as_bytes())
            .map_err(|e| RuntimeError::new(format!("save: write error: {}", os_reason(&e))))?,
        Some(p) => write_file(&mut ctx.out, &p, text.as_bytes())
            .map_err(|e| RuntimeError::new(format!("save: create {p}: {}", os_reason(&e))))?,
    }
    Ok(Value::NONE)
}

/// Writes `bytes` to the file `path` names, as Go's `os.Create` would: through a symbolic
/// link to its target, and into a device or pipe (`/dev/null`, a FIFO) directly, after
/// what `print` has buffered. A regular file is written atomically.
fn write_file(out: &mut Box<dyn Write>, path: &str, bytes: &[u8]) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => {
            out.flush()?;
            let mut f = File::create(path)?;
            f.write_all(bytes)?;
            f.flush()
        }
        _ => {
            let target = std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path));
            write_atomically(&target, bytes)
        }
    }
}

/// Writes `bytes` to a temporary file next to `target`, then renames it over `target`.
fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "is a directory"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.flush()
    });
    let result = written.and_then(|()| std::fs::rename(&tmp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The entries `save` writes for one row or nested map: key text and value, sorted
/// byte-wise by key; a struct's declared fields only (no `__name`, §18.8).
fn fields(heap: &Heap, v: Value) -> Vec<(String, Value)> {
    if let Some(m) = heap.as_map(v) {
        return m
            .entries_sorted_with_text()
            .into_iter()
            .map(|(k, _, x)| (k, x))
            .collect();
    }
    let Some(s) = heap.as_struct(v) else {
        return Vec::new();
    };
    let desc = s.desc();
    desc.print_order
        .iter()
        .filter(|&&i| i != usize::MAX)
        .map(|&i| (desc.fields[i].clone(), s.fields()[i]))
        .collect()
}

/// A key string, shared between the rows of one `load`.
fn alloc_key(
    heap: &mut Heap,
    cache: &mut rustc_hash::FxHashMap<Box<str>, Value>,
    key: &str,
) -> Value {
    if let Some(&v) = cache.get(key) {
        return v;
    }
    let v = heap.alloc_str(key);
    cache.insert(key.into(), v);
    v
}
