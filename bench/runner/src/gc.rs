//! The garbage-collector section: one `mochi run --gc-stats` per program in the default mode,
//! turned into pause times, GC share of the run and allocation throughput (issue 10 asks for
//! collection cost on large live heaps).

use std::fmt::Write as _;

use crate::report::csv_field;
use crate::stats;
use crate::suite::SuiteResult;

/// `mochi run --gc-stats` output for one program, with the wall time of that same run (the GC
/// share is taken against it, so numerator and denominator come from one process).
#[derive(Debug, Clone)]
pub struct GcRun {
    /// Program name.
    pub program: String,
    /// `key: value` pairs from stderr, in order of first appearance.
    pub values: Vec<(String, String)>,
    /// Wall time of the run, seconds (process start-up included, like the timed runs).
    pub wall_s: f64,
    /// Exit description when the run failed.
    pub error: Option<String>,
}

/// The figures the table shows, derived from one [`GcRun`].
#[derive(Debug, Clone, PartialEq)]
pub struct GcFigures {
    /// Number of collections.
    pub collections: u64,
    /// Time in all collections, ms.
    pub total_ms: f64,
    /// `total / wall`, percent.
    pub share_pct: f64,
    /// Longest single collection, ms.
    pub max_pause_ms: f64,
    /// `total / collections`, ms (`None` without a collection).
    pub mean_pause_ms: Option<f64>,
    /// Largest live heap after a collection, MiB.
    pub peak_live_mib: f64,
    /// Bytes allocated over the whole run, MiB.
    pub allocated_mib: f64,
    /// `allocated / (wall - GC time)`, MiB per second of mutator time (`None` when the mutator
    /// time is not positive).
    pub alloc_mib_per_s: Option<f64>,
}

const MIB: f64 = 1024.0 * 1024.0;

impl GcRun {
    fn num(&self, key: &str) -> Option<f64> {
        let (_, v) = self.values.iter().find(|(k, _)| k == key)?;
        stats::leading_number(v)
    }

    /// The table's figures, or `None` when the run failed or printed no GC statistics.
    pub fn figures(&self) -> Option<GcFigures> {
        if self.error.is_some() {
            return None;
        }
        let collections = self.num("gc_collections")?;
        let total_ns = self.num("gc_total_ns")?;
        let max_ns = self.num("gc_max_pause_ns").unwrap_or(0.0);
        let peak = self.num("gc_peak_live_bytes").unwrap_or(0.0);
        let allocated = self.num("gc_allocated_bytes").unwrap_or(0.0);
        let wall_ns = self.wall_s * 1e9;
        let mutator_s = (wall_ns - total_ns) / 1e9;
        Some(GcFigures {
            collections: collections as u64,
            total_ms: total_ns / 1e6,
            share_pct: if wall_ns > 0.0 {
                100.0 * total_ns / wall_ns
            } else {
                0.0
            },
            max_pause_ms: max_ns / 1e6,
            mean_pause_ms: (collections > 0.0).then(|| total_ns / collections / 1e6),
            peak_live_mib: peak / MIB,
            allocated_mib: allocated / MIB,
            alloc_mib_per_s: (mutator_s > 0.0).then(|| allocated / MIB / mutator_s),
        })
    }
}

/// Milliseconds with precision that suits pauses from microseconds to seconds.
fn fmt_ms(ms: f64) -> String {
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 1.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.3}")
    }
}

fn fmt_mib(mib: f64) -> String {
    if mib >= 10.0 {
        format!("{mib:.0}")
    } else {
        format!("{mib:.2}")
    }
}

/// The "Garbage collector" section body (without its heading).
pub fn markdown(result: &SuiteResult) -> String {
    let mut out = String::new();
    if result.gc_stats.is_empty() {
        out.push_str(
            "Not measured (the Mochi JIT column was not run or `mochi` was unavailable).\n\n",
        );
        return out;
    }
    out.push_str(
        "One extra `mochi run --gc-stats` per program in the default mode (same input as the \
         timed runs). GC share is total collection time over that run's own wall time (start-up \
         included); mean pause is total over collections; peak live is the largest heap left \
         after a collection; allocation throughput is MiB allocated per second of mutator time \
         (wall minus GC). Programs that never collect are listed with 0 collections rather than \
         left out: their allocation rate is still a figure, and the 0 shows the GC costs them \
         nothing rather than that the run is missing.\n\n\
         | program | collections | GC total (ms) | GC share (%) | max pause (ms) | mean pause (ms) \
         | peak live (MiB) | allocated (MiB) | alloc MiB/s (mutator) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut shares = Vec::new();
    let mut failed = Vec::new();
    for run in &result.gc_stats {
        let Some(f) = run.figures() else {
            failed.push(run);
            continue;
        };
        if f.collections > 0 {
            shares.push(f.share_pct);
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.1} | {} | {} | {} | {} | {} |",
            run.program,
            f.collections,
            fmt_ms(f.total_ms),
            f.share_pct,
            fmt_ms(f.max_pause_ms),
            f.mean_pause_ms.map_or_else(|| "—".to_string(), fmt_ms),
            fmt_mib(f.peak_live_mib),
            fmt_mib(f.allocated_mib),
            f.alloc_mib_per_s
                .map_or_else(|| "—".to_string(), |r| format!("{r:.0}")),
        );
    }
    if let Some(m) = stats::median(&shares) {
        let _ = writeln!(
            out,
            "\nMedian GC share over the programs that collect: {m:.1} %."
        );
    }
    out.push('\n');
    let failed = failed.iter().map(|run| {
        let why = run.error.as_deref().unwrap_or("no gc_collections line");
        (&*run.program, why)
    });
    crate::report::failed_runs(
        &mut out,
        "Runs with `--gc-stats` that failed or printed no statistics:",
        failed,
    );
    out
}

/// The raw numbers: one row per program, the wall time of the `--gc-stats` run, then every key
/// it printed.
pub fn csv(result: &SuiteResult) -> String {
    let mut keys: Vec<&str> = Vec::new();
    for run in &result.gc_stats {
        for (k, _) in &run.values {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    let mut out = String::from("program,error,wall_s");
    for k in &keys {
        let _ = write!(out, ",{}", csv_field(k));
    }
    out.push('\n');
    for run in &result.gc_stats {
        let _ = write!(
            out,
            "{},{},{:.6}",
            csv_field(&run.program),
            csv_field(run.error.as_deref().unwrap_or("")),
            run.wall_s
        );
        for k in &keys {
            let v = run
                .values
                .iter()
                .find(|(kk, _)| kk == k)
                .map_or("", |(_, v)| v.as_str());
            let _ = write!(out, ",{}", csv_field(v));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::Impl;

    /// What `mochi run --gc-stats` prints (taken from a real str_list run), after the
    /// program's own output.
    const STDERR: &str = "gc_collections: 11\ngc_total_ns: 220875572\n\
        gc_max_pause_ns: 74593779\ngc_marked_objects: 7385699\ngc_freed_objects: 5881663\n\
        gc_peak_live_bytes: 143332557\ngc_live_bytes: 143332557\ngc_allocated_bytes: 446664662\n";

    fn run(program: &str, stderr: &str, wall_s: f64, error: Option<&str>) -> GcRun {
        GcRun {
            program: program.to_string(),
            values: stats::parse_key_values(stderr),
            wall_s,
            error: error.map(str::to_string),
        }
    }

    fn suite(gc_stats: Vec<GcRun>) -> SuiteResult {
        SuiteResult {
            quick: false,
            reps: 1,
            programs: gc_stats.iter().map(|r| r.program.clone()).collect(),
            impls: vec![Impl::MochiJit],
            cells: Vec::new(),
            jit_stats: Vec::new(),
            opt_stats: Vec::new(),
            gc_stats,
            coverage: Vec::new(),
            coverage_skipped: None,
            mochi: None,
            before: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn derives_figures() {
        let f = run("str_list", STDERR, 1.14, None).figures().unwrap();
        assert_eq!(f.collections, 11);
        assert!((f.total_ms - 220.875572).abs() < 1e-9);
        assert!((f.share_pct - 100.0 * 0.220875572 / 1.14).abs() < 1e-9);
        assert!((f.max_pause_ms - 74.593779).abs() < 1e-9);
        assert!((f.mean_pause_ms.unwrap() - 220.875572 / 11.0).abs() < 1e-9);
        assert!((f.peak_live_mib - 143332557.0 / MIB).abs() < 1e-9);
        let mutator = 1.14 - 0.220875572;
        let rate = 446664662.0 / MIB / mutator;
        assert!((f.alloc_mib_per_s.unwrap() - rate).abs() < 1e-6);
    }

    #[test]
    fn no_collection_has_no_mean_pause() {
        let f = run(
            "fib",
            "gc_collections: 0\ngc_total_ns: 0\ngc_allocated_bytes: 2048\n",
            0.5,
            None,
        )
        .figures()
        .unwrap();
        assert_eq!(f.collections, 0);
        assert_eq!(f.mean_pause_ms, None);
        assert_eq!(f.share_pct, 0.0);
        assert!((f.alloc_mib_per_s.unwrap() - 2048.0 / MIB / 0.5).abs() < 1e-12);
    }

    #[test]
    fn failed_or_silent_runs_have_no_figures() {
        assert_eq!(run("a", STDERR, 1.0, Some("exit 1")).figures(), None);
        assert_eq!(run("b", "runtime error: x\n", 1.0, None).figures(), None);
    }

    #[test]
    fn renders_table_and_csv() {
        let result = suite(vec![
            run("str_list", STDERR, 1.14, None),
            run(
                "fib_rec",
                "gc_collections: 0\ngc_total_ns: 0\ngc_allocated_bytes: 0\n",
                0.8,
                None,
            ),
            run("broken", "", 0.1, Some("signal 11")),
        ]);
        let md = markdown(&result);
        assert!(
            md.contains("| str_list | 11 | 221 | 19.4 | 74.6 | 20.1 | 137 | 426 | 463 |"),
            "{md}"
        );
        assert!(md.contains("| fib_rec | 0 | 0.000 | 0.0 | 0.000 | — | 0.00 | 0.00 | 0 |"));
        assert!(md.contains("- `broken`: signal 11"));
        assert!(md.contains("Median GC share over the programs that collect: 19.4 %."));

        let csv = csv(&result);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "program,error,wall_s,gc_collections,gc_total_ns,gc_max_pause_ns,gc_marked_objects,\
             gc_freed_objects,gc_peak_live_bytes,gc_live_bytes,gc_allocated_bytes"
        );
        assert_eq!(
            lines.next().unwrap(),
            "str_list,,1.140000,11,220875572,74593779,7385699,5881663,143332557,143332557,\
             446664662"
        );
        assert_eq!(lines.next().unwrap(), "fib_rec,,0.800000,0,0,,,,,,0");
        assert_eq!(lines.next().unwrap(), "broken,signal 11,0.100000,,,,,,,,");
    }

    #[test]
    fn empty_without_mochi() {
        assert!(markdown(&suite(Vec::new())).starts_with("Not measured"));
    }
}
