//! Stencil-build tool: C stencil sources → committed Rust stencil tables, one file per target.
//!
//! ```text
//! stencils/*.c ──clang.rs (pinned clang 19, flags from target.rs)──▶ ELF objects
//!   ──extract.rs (object crate; relocations.rs: raw types → cnp::HoleKind)──▶ ExtractedStencil
//!   ──emit.rs (+ disasm.rs comments, digest header)──▶ <out>/<target_module>.rs
//! ```
//!
//! A developer/release step: `cargo build` of a JIT never runs this; it compiles the committed
//! tables. Must never depend on any language crate: it knows only the `_JIT_*` naming
//! conventions (see `cnp`'s crate docs) and depends on `cnp` for [`cnp::HoleKind`].
//!
//! Start reading at [`build_target`]; the CLI in `main.rs` is a thin wrapper over [`run`].
//!
//! # Writing stencils
//!
//! * One stencil per C file; the file name (`[a-z][a-z0-9_]*`) is the stencil name. A file
//!   may declare variants, `// cnp-variants: ra rb ra+rd`: each is the same source compiled
//!   with `-DCNP_VARIANT_<FLAG>` per flag, named `<file>__<flags>` (a flag written `nd?` is
//!   optional: the entry names the variants with and without it; see [`variants`]). The
//!   function is `_JIT_ENTRY`, `__attribute__((preserve_none))`, and continues with
//!   `__attribute__((musttail)) return _JIT_CONTINUE(...)`. If that jump is the final
//!   instruction (the tool also inverts an x86_64 `jcc CONT; jmp X` tail), it is elided when
//!   the next stencil follows; anywhere else it is kept and patched (the table comment says
//!   `continuation jump kept`), which is correct but costs a jump per op: pin the kept set
//!   per target with a golden test.
//! * Holes are `extern` symbols whose *address* is the value: `_JIT_CONTINUE` (next stencil),
//!   `_JIT_TARGET`/`_JIT_TARGET<N>` (branch targets), `_JIT_HELPER_<NAME>` (helper functions;
//!   direct calls get a veneer when far), any other `_JIT_<NAME>` (user immediates). On
//!   x86_64 an unsized `extern char X[];` is a 64-bit hole; a sized one in a non-`.l*`
//!   section, `extern char X[1] __attribute__((section(".jit_small")));`, is a 32-bit signed
//!   displacement. Any other external symbol (including libc calls clang inserts) is rejected.
//! * No writable globals or TLS; read-only constants (`.rodata*`) are fine and become the
//!   stencil's data blob, as long as they hold no relocations (no pointer tables).
//! * The entry shim from Rust is an ordinary-ABI stencil (`int64_t _JIT_ENTRY(T *f) { return
//!   _JIT_CONTINUE(f); }`): it saves the callee-saved registers the chain may clobber.

#![forbid(unsafe_code)]

pub mod clang;
pub mod disasm;
pub mod emit;
pub mod extract;
pub mod relocations;
pub mod target;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::clang::{CLANG_MAJOR, Clang};
use crate::extract::{ExtractError, ExtractedStencil};
use crate::target::Target;

/// Why a build did not produce tables.
#[derive(Debug)]
pub enum BuildError {
    /// User error (environment): no clang to run; install clang-19 or set `$CNP_CLANG`.
    ClangNotFound {
        /// Program that was tried.
        program: String,
        /// OS error.
        message: String,
    },
    /// User error (environment): clang is not the pinned major version.
    ClangVersion {
        /// Program that was run.
        program: String,
        /// First line of its `--version`.
        found: String,
    },
    /// User error: a stencil failed to compile.
    Compile {
        /// Source file.
        source: String,
        /// Target triple.
        target: String,
        /// clang's diagnostics.
        stderr: String,
    },
    /// User error: a file could not be read or written.
    Io {
        /// The path.
        path: String,
        /// OS error.
        message: String,
    },
    /// User error or limit: see [`ExtractError`].
    Extract(ExtractError),
    /// User error: an unknown `--target`.
    UnknownTarget(String),
    /// User error: `--check` found committed tables that differ from regenerated ones.
    Stale(Vec<String>),
    /// User error: the stencil directory has no `.c` files.
    NoStencils(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::ClangNotFound { program, message } => write!(
                f,
                "cannot run {program} ({message}): install clang-{CLANG_MAJOR} or set CNP_CLANG"
            ),
            BuildError::ClangVersion { program, found } => write!(
                f,
                "{program} is not clang {CLANG_MAJOR} (found {found:?}); install \
                 clang-{CLANG_MAJOR} or point CNP_CLANG at it"
            ),
            BuildError::Compile {
                source,
                target,
                stderr,
            } => write!(f, "compiling {source} for {target} failed:\n{stderr}"),
            BuildError::Io { path, message } => write!(f, "{path}: {message}"),
            BuildError::Extract(error) => write!(f, "{error}"),
            BuildError::UnknownTarget(triple) => {
                let known: Vec<&str> = target::TARGETS.iter().map(|t| t.triple).collect();
                write!(f, "unknown target {triple:?} (known: {})", known.join(", "))
            }
            BuildError::Stale(files) => write!(
                f,
                "stencil tables are out of date: {}; regenerate them with cnp-build (without \
                 --check) and commit the result",
                files.join(", ")
            ),
            BuildError::NoStencils(dir) => write!(f, "no .c stencils in {dir}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<ExtractError> for BuildError {
    fn from(error: ExtractError) -> Self {
        BuildError::Extract(error)
    }
}

fn io_error(path: &Path, error: std::io::Error) -> BuildError {
    BuildError::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

/// The tool's own version and sources: part of every digest, so a change in the tool
/// invalidates the committed tables.
const TOOL_SOURCES: &[(&str, &str)] = &[
    ("clang.rs", include_str!("clang.rs")),
    ("disasm.rs", include_str!("disasm.rs")),
    ("emit.rs", include_str!("emit.rs")),
    ("extract.rs", include_str!("extract.rs")),
    ("lib.rs", include_str!("lib.rs")),
    ("relocations.rs", include_str!("relocations.rs")),
    ("target.rs", include_str!("target.rs")),
];

fn hash_part(hasher: &mut Sha256, label: &str, bytes: &[u8]) {
    hasher.update(label.as_bytes());
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// Files with `extension` directly in `dir`, sorted by name, as (file name, contents).
pub fn read_dir_files(dir: &Path, extension: &str) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|error| io_error(dir, error))?;
    for entry in entries {
        let path = entry.map_err(|error| io_error(dir, error))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some(extension) || !path.is_file() {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let bytes = std::fs::read(&path).map_err(|error| io_error(&path, error))?;
        files.push((name, bytes));
    }
    files.sort();
    Ok(files)
}

/// The digest of one target's inputs: sources, headers, flags, clang major, tool version and
/// sources. Computable without clang, so an up-to-date table is recognised without one.
pub fn source_digest(
    target: &Target,
    sources: &[(String, Vec<u8>)],
    headers: &[(String, Vec<u8>)],
) -> String {
    let mut hasher = Sha256::new();
    hash_part(&mut hasher, "tool", env!("CARGO_PKG_VERSION").as_bytes());
    for (name, text) in TOOL_SOURCES {
        hash_part(&mut hasher, name, text.as_bytes());
    }
    hash_part(
        &mut hasher,
        "clang-major",
        CLANG_MAJOR.to_string().as_bytes(),
    );
    hash_part(
        &mut hasher,
        "flags",
        target.clang_args().join(" ").as_bytes(),
    );
    for (name, bytes) in sources {
        hash_part(&mut hasher, &format!("source {name}"), bytes);
    }
    for (name, bytes) in headers {
        hash_part(&mut hasher, &format!("header {name}"), bytes);
    }
    hex(&hasher.finalize())
}

/// The digest of pre-built objects (golden tests): the objects and the tool version.
pub fn object_digest(target: &Target, objects: &[(String, Vec<u8>)]) -> String {
    let mut hasher = Sha256::new();
    hash_part(&mut hasher, "tool", env!("CARGO_PKG_VERSION").as_bytes());
    hash_part(&mut hasher, "target", target.triple.as_bytes());
    for (name, bytes) in objects {
        hash_part(&mut hasher, &format!("object {name}"), bytes);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Extracts every `(stencil name, object bytes)` and writes the table (no clang involved).
pub fn table_from_objects(
    target: &Target,
    digest: &str,
    objects: &[(String, Vec<u8>)],
) -> Result<String, ExtractError> {
    let stencils = objects
        .iter()
        .map(|(name, bytes)| extract::extract(name, target, bytes))
        .collect::<Result<Vec<ExtractedStencil>, ExtractError>>()?;
    Ok(emit::emit_table(target, digest, &stencils))
}

/// Compiles every stencil in `stencil_dir` for `target` and returns
/// `(stencil name, object bytes)`, sorted by name.
pub fn compile_stencils(
    clang: &Clang,
    target: &Target,
    stencil_dir: &Path,
    header_dir: &Path,
) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    let stencil_dir = stencil_dir
        .canonicalize()
        .map_err(|error| io_error(stencil_dir, error))?;
    let header_dir = header_dir
        .canonicalize()
        .map_err(|error| io_error(header_dir, error))?;
    let sources = read_dir_files(&stencil_dir, "c")?;
    if sources.is_empty() {
        return Err(BuildError::NoStencils(stencil_dir.display().to_string()));
    }
    // Unique per call: several builds may run at once in one process (tests).
    static SCRATCH_COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let scratch = std::env::temp_dir().join(format!(
        "cnp-build-{}-{}-{}",
        std::process::id(),
        SCRATCH_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        target.triple
    ));
    std::fs::create_dir_all(&scratch).map_err(|error| io_error(&scratch, error))?;
    let mut objects = Vec::new();
    let result = (|| {
        for (file, text) in &sources {
            let base = file.trim_end_matches(".c");
            for variant in variants(base, text) {
                let object = scratch.join(format!("{}.o", variant.name));
                clang.compile(
                    target,
                    &stencil_dir.join(file),
                    &stencil_dir,
                    &header_dir,
                    &object,
                    &variant.defines,
                )?;
                let bytes = std::fs::read(&object).map_err(|error| io_error(&object, error))?;
                objects.push((variant.name, bytes));
            }
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    // Variant names (`add__ra`) sort with their base, but not always before the next file's.
    objects.sort_by(|a, b| a.0.cmp(&b.0));
    result.map(|()| objects)
}

/// One stencil a source file yields: its name and the macros it is compiled with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// `<file>` for the plain stencil, `<file>__<flag>_<flag>...` for a variant.
    pub name: String,
    /// `CNP_VARIANT_<FLAG>` for each of the variant's flags.
    pub defines: Vec<String>,
}

/// The stencils of source file `base`.c: the plain one, then one per entry of its
/// `// cnp-variants:` line, if any. An entry is flags joined by `+` (`ra+rd`): the variant
/// `<base>__ra_rd` is compiled with `-DCNP_VARIANT_RA -DCNP_VARIANT_RD`. A flag ending in
/// `?` is optional: `ra+rd+nd?` stands for `ra+rd` and `ra+rd+nd`. One template then yields
/// every variant (which operands or results live where), instead of a file each.
pub fn variants(base: &str, source: &[u8]) -> Vec<Variant> {
    let mut out = vec![Variant {
        name: base.to_owned(),
        defines: Vec::new(),
    }];
    let text = String::from_utf8_lossy(source);
    let Some(line) = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("// cnp-variants:"))
    else {
        return out;
    };
    for entry in line.split_whitespace() {
        let flags: Vec<&str> = entry.split('+').collect();
        let optional: Vec<usize> = (0..flags.len())
            .filter(|&i| flags[i].ends_with('?'))
            .collect();
        // Each subset of the optional flags, none first, in the order written.
        for subset in 0..1usize << optional.len() {
            let chosen: Vec<&str> = (flags.iter().enumerate())
                .filter(|&(i, _)| match optional.iter().position(|&o| o == i) {
                    Some(bit) => subset >> bit & 1 == 1,
                    None => true,
                })
                .map(|(_, flag)| flag.trim_end_matches('?'))
                .collect();
            if chosen.is_empty() {
                continue;
            }
            out.push(Variant {
                name: format!("{base}__{}", chosen.join("_")),
                defines: chosen
                    .iter()
                    .map(|flag| format!("CNP_VARIANT_{}", flag.to_ascii_uppercase()))
                    .collect(),
            });
        }
    }
    out
}

/// Builds the table file text for one target from C sources.
pub fn build_target(
    clang: &Clang,
    target: &Target,
    stencil_dir: &Path,
    header_dir: &Path,
) -> Result<String, BuildError> {
    let digest = source_digest(
        target,
        &read_dir_files(stencil_dir, "c")?,
        &read_dir_files(header_dir, "h")?,
    );
    let objects = compile_stencils(clang, target, stencil_dir, header_dir)?;
    Ok(table_from_objects(target, &digest, &objects)?)
}

/// What [`run`] should do.
#[derive(Debug)]
pub struct Options {
    /// Directory of `NAME.c` stencils.
    pub stencil_dir: PathBuf,
    /// Directory of headers the stencils include (all `*.h` are digested).
    pub header_dir: PathBuf,
    /// Directory of the generated `<target_module>.rs` files.
    pub out_dir: PathBuf,
    /// Targets to build (all of [`target::TARGETS`] if empty).
    pub targets: Vec<String>,
    /// Regenerate in memory and fail if a committed table differs, writing nothing.
    pub check: bool,
    /// Rebuild even if the committed digest matches.
    pub force: bool,
}

/// The table file path for `target` under `out_dir`.
pub fn table_path(out_dir: &Path, target: &Target) -> PathBuf {
    out_dir.join(format!("{}.rs", target.module_name()))
}

/// Runs the tool; returns one human-readable line per target.
pub fn run(options: &Options) -> Result<Vec<String>, BuildError> {
    let targets: Vec<&Target> = if options.targets.is_empty() {
        target::TARGETS.iter().collect()
    } else {
        options
            .targets
            .iter()
            .map(|triple| {
                target::find(triple).ok_or_else(|| BuildError::UnknownTarget(triple.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    let mut clang = None;
    let mut report = Vec::new();
    let mut stale = Vec::new();
    for target in targets {
        let path = table_path(&options.out_dir, target);
        let committed = std::fs::read_to_string(&path).ok();
        let digest = source_digest(
            target,
            &read_dir_files(&options.stencil_dir, "c")?,
            &read_dir_files(&options.header_dir, "h")?,
        );
        let up_to_date = committed
            .as_deref()
            .and_then(emit::read_digest)
            .is_some_and(|found| found == digest);
        if up_to_date && !options.check && !options.force {
            report.push(format!("{}: up to date", path.display()));
            continue;
        }
        if clang.is_none() {
            clang = Some(Clang::find()?);
        }
        let clang = clang.as_ref().expect("found above");
        let generated = build_target(clang, target, &options.stencil_dir, &options.header_dir)?;
        if options.check {
            if committed.as_deref() == Some(generated.as_str()) {
                report.push(format!("{}: matches", path.display()));
            } else {
                stale.push(path.display().to_string());
            }
            continue;
        }
        std::fs::create_dir_all(&options.out_dir)
            .map_err(|error| io_error(&options.out_dir, error))?;
        std::fs::write(&path, &generated).map_err(|error| io_error(&path, error))?;
        report.push(format!("{}: written", path.display()));
    }
    if !stale.is_empty() {
        return Err(BuildError::Stale(stale));
    }
    Ok(report)
}
