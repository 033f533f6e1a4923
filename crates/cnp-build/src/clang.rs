//! Finds the pinned clang, checks its major version and compiles one stencil.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::BuildError;
use crate::target::Target;

/// The clang major version stencils are built with. Different majors generate different code
/// (and so different committed tables); CPython pins 19 for the same reason.
pub const CLANG_MAJOR: u32 = 19;

/// A clang of the pinned major version.
#[derive(Debug)]
pub struct Clang {
    /// Program to run (`$CNP_CLANG`, else `clang-19` from `PATH`).
    pub program: PathBuf,
    /// First line of `clang --version`.
    pub version_line: String,
}

/// Extracts the major version from `clang --version` output (`... clang version 19.1.7 ...`).
pub fn parse_major(version_output: &str) -> Option<u32> {
    let rest = version_output.split("clang version ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

impl Clang {
    /// Finds clang: `$CNP_CLANG` if set, else `clang-19`; fails unless its major is
    /// [`CLANG_MAJOR`].
    pub fn find() -> Result<Clang, BuildError> {
        let program = std::env::var_os("CNP_CLANG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(format!("clang-{CLANG_MAJOR}")));
        let output = Command::new(&program)
            .arg("--version")
            .output()
            .map_err(|error| BuildError::ClangNotFound {
                program: program.display().to_string(),
                message: error.to_string(),
            })?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let version_line = text.lines().next().unwrap_or("").to_owned();
        match parse_major(&text) {
            Some(CLANG_MAJOR) => Ok(Clang {
                program,
                version_line,
            }),
            _ => Err(BuildError::ClangVersion {
                program: program.display().to_string(),
                found: version_line,
            }),
        }
    }

    /// Compiles `source` for `target` into `object`, with `-D<macro>` for each of `defines`
    /// (a variant's macros); `-ffile-prefix-map` keeps the absolute stencil and header
    /// directories out of the object.
    pub fn compile(
        &self,
        target: &Target,
        source: &Path,
        stencil_dir: &Path,
        header_dir: &Path,
        object: &Path,
        defines: &[String],
    ) -> Result<(), BuildError> {
        let output = Command::new(&self.program)
            .args(target.clang_args())
            .args(defines.iter().map(|name| format!("-D{name}")))
            .arg(format!(
                "-ffile-prefix-map={}=stencils",
                stencil_dir.display()
            ))
            .arg(format!(
                "-ffile-prefix-map={}=include",
                header_dir.display()
            ))
            .arg("-I")
            .arg(header_dir)
            .arg("-o")
            .arg(object)
            .arg(source)
            .output()
            .map_err(|error| BuildError::Io {
                path: self.program.display().to_string(),
                message: error.to_string(),
            })?;
        if !output.status.success() {
            return Err(BuildError::Compile {
                source: source.display().to_string(),
                target: target.triple.to_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        Ok(())
    }
}
