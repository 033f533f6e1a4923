//! Discovery of benchmark programs on disk.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The source extensions every program directory must provide.
pub const SOURCE_EXTENSIONS: [&str; 4] = ["mochi", "py", "lua", "c"];

/// One benchmark: `bench/programs/NAME/` with the same computation in four languages.
#[derive(Debug, Clone)]
pub struct Program {
    /// Directory name, also the stem of each source file.
    pub name: String,
    /// The program directory.
    pub dir: PathBuf,
    /// Stdin for `--quick` runs (a small size N on the first line).
    pub quick_input: String,
    /// Expected stdout at full size (`expected.out`), if recorded.
    pub expected: Option<String>,
    /// Expected stdout at quick size (`quick.out`), if recorded.
    pub quick_expected: Option<String>,
}

impl Program {
    /// Path of this program's source with the given extension (`"py"`, `"c"`, ...).
    pub fn source(&self, ext: &str) -> PathBuf {
        self.dir.join(format!("{}.{ext}", self.name))
    }

    /// Stdin for a run: empty at full size (programs use their default N), `quick.in` otherwise.
    pub fn input(&self, quick: bool) -> &str {
        if quick { &self.quick_input } else { "" }
    }

    /// The recorded expected output for the mode, normalized.
    pub fn expected_output(&self, quick: bool) -> Option<&str> {
        if quick {
            self.quick_expected.as_deref()
        } else {
            self.expected.as_deref()
        }
    }
}

/// Lists the programs under `programs_dir`, sorted by name. Every directory must hold all four
/// sources; anything else there is an error rather than a silently skipped benchmark.
pub fn discover(programs_dir: &Path) -> Result<Vec<Program>> {
    let mut programs = Vec::new();
    let entries = fs::read_dir(programs_dir)
        .with_context(|| format!("reading {}", programs_dir.display()))?;
    for entry in entries {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = entry.path();
        for ext in SOURCE_EXTENSIONS {
            let src = dir.join(format!("{name}.{ext}"));
            if !src.is_file() {
                bail!("benchmark {name} is missing {}", src.display());
            }
        }
        let read_opt = |file: &str| -> Option<String> {
            fs::read_to_string(dir.join(file))
                .ok()
                .map(|s| normalize_output(&s))
        };
        let quick_input = fs::read_to_string(dir.join("quick.in")).unwrap_or_default();
        programs.push(Program {
            expected: read_opt("expected.out"),
            quick_expected: read_opt("quick.out"),
            quick_input,
            name,
            dir,
        });
    }
    programs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(programs)
}

/// Output as compared between implementations: trailing whitespace removed from every line and
/// trailing blank lines dropped (Lua, Python and C all end with one newline; Mochi too).
pub fn normalize_output(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let mut out = lines.join("\n");
    while out.ends_with('\n') {
        out.pop();
    }
    out.trim_start_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_trims_line_ends_and_trailing_newlines() {
        assert_eq!(normalize_output("1 2  \n3\n\n"), "1 2\n3");
        assert_eq!(normalize_output(""), "");
    }
}
