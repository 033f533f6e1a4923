//! The coverage section: where the default mode's time goes. One `mochi run --perf-map` per
//! program under `perf record` (a CPU-clock sample every 0.2 ms); each sample is counted as
//! optimized code (Cranelift, named `mochi-opt::` in the perf map), stitched code (the other
//! perf-map names), the runtime (the `mochi` binary and its libraries: interpreter, helpers,
//! the collector and both compilers) or the kernel (page faults, mostly). Issue 9 asks for
//! the share of run time spent in optimized code on each benchmark.
//!
//! `perf` is not a peer: when it is missing or cannot sample (no permission), the section says
//! so and the rest of the report stands.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::measure;
use crate::program::Program;
use crate::report::csv_field;
use crate::stats;
use crate::suite::SuiteResult;

/// Samples per second: enough for a 10 ms run to give 50 samples.
const FREQUENCY: &str = "4999";

/// Where one sample was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Code compiled by the optimizing tier.
    Optimized,
    /// Copy-and-patch code.
    Stitched,
    /// The `mochi` binary and the libraries it links.
    Runtime,
    /// The kernel, on the program's behalf.
    Kernel,
}

impl Place {
    /// Every place, in table order.
    pub const ALL: [Place; 4] = [
        Place::Optimized,
        Place::Stitched,
        Place::Runtime,
        Place::Kernel,
    ];

    fn label(self) -> &'static str {
        match self {
            Place::Optimized => "optimized",
            Place::Stitched => "stitched",
            Place::Runtime => "runtime",
            Place::Kernel => "kernel",
        }
    }
}

/// The place of one `perf script -F ip,sym,dso` line (`ADDRESS SYMBOL (DSO)`; perf prints
/// nothing for `sym` without `ip`), or `None` for a line that is not a sample.
pub fn classify(line: &str) -> Option<Place> {
    let line = line.trim();
    let open = line.rfind(" (")?;
    let dso = line[open + 2..].strip_suffix(')')?;
    let (_address, sym) = line[..open].split_once(' ')?;
    let sym = sym.trim();
    Some(if dso.starts_with("/tmp/perf-") && dso.ends_with(".map") {
        if sym.starts_with("mochi-opt::") {
            Place::Optimized
        } else {
            Place::Stitched
        }
    } else if dso.starts_with("[kernel") {
        Place::Kernel
    } else {
        Place::Runtime
    })
}

/// The samples of one program, per place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    counts: [u64; 4],
}

impl Samples {
    /// Counts the sample lines of `perf script -F ip,sym,dso` output.
    pub fn from_script(text: &str) -> Samples {
        let mut samples = Samples::default();
        for place in text.lines().filter_map(classify) {
            samples.counts[place as usize] += 1;
        }
        samples
    }

    /// All samples.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The share of `place`, percent (`None` without samples).
    pub fn share(&self, place: Place) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| 100.0 * self.counts[place as usize] as f64 / total as f64)
    }
}

/// One program's coverage run.
#[derive(Debug, Clone)]
pub struct CoverageRun {
    /// Program name.
    pub program: String,
    /// The samples, or why there are none.
    pub samples: Result<Samples, String>,
}

/// Whether `perf` can sample here: `perf record` of `true` succeeds.
pub fn perf_works(scratch: &Path) -> Result<(), String> {
    std::fs::create_dir_all(scratch).map_err(|e| e.to_string())?;
    let data = scratch.join("perf-probe.data");
    let out = Command::new("perf")
        .args(["record", "-q", "-e", "cpu-clock", "-o"])
        .arg(&data)
        .args(["--", "true"])
        .output();
    let _ = std::fs::remove_file(&data);
    match out {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "perf record failed: {}",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .next()
                .unwrap_or("")
        )),
        Err(e) => Err(format!("perf not found ({e})")),
    }
}

/// Samples `mochi run --perf-map` of `prog` (default mode) and counts them per place.
pub fn measure(
    mochi: &Path,
    prog: &Program,
    input: &str,
    timeout: Duration,
    scratch: &Path,
) -> CoverageRun {
    let data = scratch.join("perf.data");
    let argv: Vec<OsString> = vec![
        "perf".into(),
        "record".into(),
        "-q".into(),
        "-e".into(),
        "cpu-clock".into(),
        "-F".into(),
        FREQUENCY.into(),
        "-o".into(),
        data.clone().into_os_string(),
        "--".into(),
        mochi.into(),
        "run".into(),
        "--perf-map".into(),
        prog.source("mochi").into_os_string(),
    ];
    let samples = measure::run(&argv, input, timeout, scratch)
        .map_err(|e| e.to_string())
        .and_then(|outcome| {
            if !outcome.exit.success() {
                return Err(format!("perf record exited with {:?}", outcome.exit));
            }
            let script = Command::new("perf")
                .args(["script", "-F", "ip,sym,dso", "-i"])
                .arg(&data)
                .output()
                .map_err(|e| e.to_string())?;
            if !script.status.success() {
                return Err("perf script failed".to_string());
            }
            Ok(Samples::from_script(&String::from_utf8_lossy(
                &script.stdout,
            )))
        });
    let _ = std::fs::remove_file(&data);
    CoverageRun {
        program: prog.name.clone(),
        samples,
    }
}

/// The "Coverage" section body (without its heading).
pub fn markdown(result: &SuiteResult) -> String {
    let mut out = String::new();
    if let Some(why) = &result.coverage_skipped {
        let _ = writeln!(out, "Not measured: {why}.\n");
        return out;
    }
    if result.coverage.is_empty() {
        out.push_str("Not measured (the Mochi JIT column was not run).\n\n");
        return out;
    }
    out.push_str(
        "Where the default mode's time goes: one `mochi run --perf-map` per program under \
         `perf record -e cpu-clock -F 4999` (same input as the timed runs), each sample counted \
         where it fell: code of the optimizing tier, stitched copy-and-patch code, the runtime \
         (the `mochi` binary: interpreter, helpers, collector, parser and both compilers) or the \
         kernel (page faults, mostly). Percent of the run's samples.\n\n\
         | program | samples | optimized | stitched | runtime | kernel |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let mut optimized = Vec::new();
    for run in &result.coverage {
        let _ = write!(out, "| {} |", run.program);
        match &run.samples {
            Ok(s) if s.total() > 0 => {
                let _ = write!(out, " {} |", s.total());
                for place in Place::ALL {
                    let _ = write!(out, " {:.1} |", s.share(place).unwrap_or(0.0));
                }
                optimized.extend(s.share(Place::Optimized));
            }
            Ok(_) => out.push_str(" 0 | — | — | — | — |"),
            Err(why) => {
                let _ = write!(out, " failed: {} | | | | |", why.replace('|', "/"));
            }
        }
        out.push('\n');
    }
    if let Some(m) = stats::median(&optimized) {
        let _ = writeln!(out, "\nMedian share in optimized code: {m:.1} %.");
    }
    out.push('\n');
    out
}

/// The raw counts: one row per program.
pub fn csv(result: &SuiteResult) -> String {
    let mut out = String::from("program,error,samples");
    for place in Place::ALL {
        let _ = write!(out, ",{}", place.label());
    }
    out.push('\n');
    for run in &result.coverage {
        match &run.samples {
            Ok(s) => {
                let _ = write!(out, "{},,{}", csv_field(&run.program), s.total());
                for place in Place::ALL {
                    let _ = write!(out, ",{}", s.counts[place as usize]);
                }
            }
            Err(why) => {
                let _ = write!(out, "{},{},,,,,", csv_field(&run.program), csv_field(why));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_placed_by_map_name_and_dso() {
        let script = "\
            7f8d7ba01b15 mochi-opt::main (/tmp/perf-18615.map)\n\
            7f8d7ba01c00 mochi-opt::fib_mod (/tmp/perf-18615.map)\n\
            7f8d7ba00100 mochi::main (/tmp/perf-18615.map)\n\
            ffffffff81611f81 clear_page_erms ([kernel.kallsyms])\n\
            55d0c1a2b3c4 mochi::tier::run (/work/main/target/release/mochi)\n\
            7f8d7c000000 [unknown] ([unknown])\n\
            \n";
        let s = Samples::from_script(script);
        assert_eq!(s.counts, [2, 1, 2, 1]);
        assert_eq!(s.total(), 6);
        assert_eq!(s.share(Place::Optimized), Some(100.0 * 2.0 / 6.0));
        assert_eq!(Samples::default().share(Place::Kernel), None);
    }
}
