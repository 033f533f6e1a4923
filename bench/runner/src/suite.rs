//! The measurement loop: every program under every implementation, repeated and interleaved.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Result, bail};

use crate::coverage::{self, CoverageRun};
use crate::gc::GcRun;
use crate::impls::{self, Artifacts, Impl, Tool};
use crate::measure::{self, Exit};
use crate::program::{self, Program, normalize_output};
use crate::setup;
use crate::stats;

/// What to run and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Repository root (holds `bench/programs`).
    pub root: PathBuf,
    /// Tiny sizes from `quick.in`, one repetition, correctness only.
    pub quick: bool,
    /// Timed repetitions per cell (the median is reported).
    pub reps: usize,
    /// Only these programs (all when empty).
    pub only: Vec<String>,
    /// The implementations (columns) to run.
    pub impls: Vec<Impl>,
    /// Kill a run after this long.
    pub timeout: Duration,
    /// Install missing peers with apt-get.
    pub install: bool,
    /// Use this `mochi` binary instead of building one.
    pub mochi: Option<PathBuf>,
    /// Build the release `mochi` binary (ignored when `mochi` is given).
    pub build_mochi: bool,
    /// The earlier `mochi` binary of the `mochi-always-before` column.
    pub before: Option<PathBuf>,
}

/// The verdict on one program under one implementation.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Ran and printed the expected checksum.
    Ok,
    /// Ran but printed something else (shown loudly; not used in ratios).
    Mismatch {
        /// What it printed (normalized).
        got: String,
        /// What was expected.
        want: String,
    },
    /// Exited non-zero, was killed by a signal, or printed nothing.
    Failed(String),
    /// Did not finish within the timeout.
    Timeout,
    /// Not run: the peer or artifact is missing.
    Unavailable(String),
}

impl Status {
    /// Short word for tables and CSV.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Mismatch { .. } => "MISMATCH",
            Status::Failed(_) => "failed",
            Status::Timeout => "timeout",
            Status::Unavailable(_) => "n/a",
        }
    }

    /// Whether the cell counts as a problem in `--quick` mode (unavailable peers are skipped).
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Status::Mismatch { .. } | Status::Failed(_) | Status::Timeout
        )
    }
}

/// One program under one implementation.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The verdict.
    pub status: Status,
    /// Wall time of every repetition, seconds.
    pub times: Vec<f64>,
    /// Peak RSS of every repetition, KiB.
    pub rss_kb: Vec<u64>,
    /// Output of the first run (normalized).
    pub output: String,
}

impl Cell {
    fn unavailable(reason: impl Into<String>) -> Cell {
        Cell {
            status: Status::Unavailable(reason.into()),
            times: Vec::new(),
            rss_kb: Vec::new(),
            output: String::new(),
        }
    }

    /// Median wall time in seconds, if the cell ran correctly.
    pub fn median_time(&self) -> Option<f64> {
        if self.status == Status::Ok {
            stats::median(&self.times)
        } else {
            None
        }
    }

    /// Largest peak RSS over the repetitions, KiB (also for mismatching runs).
    pub fn peak_rss_kb(&self) -> Option<u64> {
        self.rss_kb.iter().copied().max()
    }
}

/// `mochi run --jit-stats` output for one program.
#[derive(Debug, Clone)]
pub struct JitStats {
    /// Program name.
    pub program: String,
    /// `key: value` pairs from stderr, in order of first appearance.
    pub values: Vec<(String, String)>,
    /// Exit description when the run failed.
    pub error: Option<String>,
}

/// Everything one invocation measured.
#[derive(Debug, Clone)]
pub struct SuiteResult {
    /// Whether this was a `--quick` run.
    pub quick: bool,
    /// Repetitions requested per cell.
    pub reps: usize,
    /// Program names, row order.
    pub programs: Vec<String>,
    /// Implementations, column order.
    pub impls: Vec<Impl>,
    /// `cells[program][impl]`.
    pub cells: Vec<Vec<Cell>>,
    /// Compile statistics per program (empty when the Mochi JIT column was not run).
    pub jit_stats: Vec<JitStats>,
    /// `mochi run --jit=opt --jit-stats` per program: every function compiled by Cranelift.
    pub opt_stats: Vec<JitStats>,
    /// `mochi run --gc-stats` per program in the default mode (empty when the Mochi JIT column
    /// was not run).
    pub gc_stats: Vec<GcRun>,
    /// Where the default mode's time goes, per program (empty when the Mochi JIT column was
    /// not run or in `--quick` runs).
    pub coverage: Vec<CoverageRun>,
    /// Why the coverage section was not measured although the Mochi JIT column ran (`perf`
    /// missing or not permitted).
    pub coverage_skipped: Option<String>,
    /// The `mochi` binary used, if any.
    pub mochi: Option<PathBuf>,
    /// The earlier `mochi` binary of the `mochi-always-before` column, if any.
    pub before: Option<PathBuf>,
    /// Setup problems worth reporting (build failures, missing peers).
    pub notes: Vec<String>,
}

impl SuiteResult {
    /// The cell for a program index and an implementation.
    pub fn cell(&self, program: usize, imp: Impl) -> Option<&Cell> {
        let col = self.impls.iter().position(|i| *i == imp)?;
        self.cells.get(program)?.get(col)
    }

    /// The column that ratios are taken against: the Mochi JIT when it has at least one correct
    /// result, else C, else the first column with one.
    pub fn reference(&self) -> Option<Impl> {
        let has_data = |imp: Impl| {
            (0..self.programs.len())
                .any(|p| self.cell(p, imp).and_then(Cell::median_time).is_some())
        };
        [Impl::MochiJit, Impl::C]
            .into_iter()
            .chain(self.impls.iter().copied())
            .find(|imp| self.impls.contains(imp) && has_data(*imp))
    }

    /// `time(imp) / time(reference)` for one program, when both ran correctly.
    pub fn ratio(&self, program: usize, imp: Impl, reference: Impl) -> Option<f64> {
        let t = self.cell(program, imp)?.median_time()?;
        let r = self.cell(program, reference)?.median_time()?;
        (r > 0.0).then(|| t / r)
    }

    /// Geometric mean of [`SuiteResult::ratio`] over the programs where it is defined, with the
    /// number of programs it covers.
    pub fn geomean_ratio(&self, imp: Impl, reference: Impl) -> Option<(f64, usize)> {
        let ratios: Vec<f64> = (0..self.programs.len())
            .filter_map(|p| self.ratio(p, imp, reference))
            .collect();
        stats::geomean(&ratios).map(|g| (g, ratios.len()))
    }

    /// Every problem cell as `(program, impl, status)`.
    pub fn problems(&self) -> Vec<(String, Impl, Status)> {
        let mut out = Vec::new();
        for (p, row) in self.cells.iter().enumerate() {
            for (i, cell) in row.iter().enumerate() {
                if cell.status.is_problem() {
                    out.push((self.programs[p].clone(), self.impls[i], cell.status.clone()));
                }
            }
        }
        out
    }
}

/// Runs the whole suite as `opts` says, logging progress through `log`.
pub fn run_suite(opts: &Options, log: &mut dyn FnMut(&str)) -> Result<SuiteResult> {
    let mut programs = program::discover(&opts.root.join("bench").join("programs"))?;
    if !opts.only.is_empty() {
        for name in &opts.only {
            if !programs.iter().any(|p| &p.name == name) {
                bail!("--only {name}: no such program in bench/programs");
            }
        }
        programs.retain(|p| opts.only.contains(&p.name));
    }
    if opts.impls.is_empty() {
        bail!("no implementations selected");
    }
    let mut notes = Vec::new();

    // Peers.
    let tools: BTreeSet<Tool> = opts.impls.iter().map(|i| i.tool()).collect();
    let mut unavailable: HashMap<Tool, String> = HashMap::new();
    for (tool, why) in setup::ensure_tools(&tools, opts.install, log) {
        notes.push(format!("{} {why}", tool.executable()));
        unavailable.insert(tool, why);
    }

    // The mochi binary.
    let mut artifacts = Artifacts {
        before: opts.before.clone(),
        ..Artifacts::default()
    };
    if tools.contains(&Tool::Mochi) {
        let found = match &opts.mochi {
            Some(path) if path.is_file() => Ok(path.clone()),
            Some(path) => Err(format!("{} does not exist", path.display())),
            None if opts.build_mochi => setup::build_mochi(&opts.root, log),
            None => {
                let bin = setup::mochi_binary(&setup::target_dir(&opts.root));
                if bin.is_file() {
                    Ok(bin)
                } else {
                    Err(format!("{} does not exist (--no-build)", bin.display()))
                }
            }
        };
        match found {
            Ok(bin) => artifacts.mochi = Some(bin),
            Err(why) => {
                log(&format!("mochi unavailable: {why}"));
                notes.push(format!("mochi: {why}"));
                unavailable.insert(Tool::Mochi, why);
            }
        }
    }

    // C binaries.
    let mut c_errors: HashMap<String, String> = HashMap::new();
    if tools.contains(&Tool::Gcc) && !unavailable.contains_key(&Tool::Gcc) {
        let out_dir = setup::target_dir(&opts.root).join("bench-c");
        for prog in &programs {
            match setup::compile_c(prog, &out_dir) {
                Ok(bin) => {
                    artifacts.c_binaries.insert(prog.name.clone(), bin);
                }
                Err(why) => {
                    log(&format!("{}: {why}", prog.name));
                    c_errors.insert(prog.name.clone(), why);
                }
            }
        }
    }

    // One scratch directory per suite run (tests may run several suites at once).
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run_id = RUNS.fetch_add(1, Ordering::Relaxed);
    let scratch =
        std::env::temp_dir().join(format!("bench-runner-{}-{run_id}", std::process::id()));
    let reps = if opts.quick { 1 } else { opts.reps.max(1) };
    let mut cells = Vec::new();
    for prog in &programs {
        log(&format!("== {}", prog.name));
        let row = run_program(
            prog,
            opts,
            reps,
            &artifacts,
            &unavailable,
            &c_errors,
            &scratch,
            log,
        )?;
        cells.push(row);
    }

    let mut jit_stats = Vec::new();
    let mut opt_stats = Vec::new();
    let mut gc_stats = Vec::new();
    let mut coverage = Vec::new();
    let mut coverage_skipped = None;
    if opts.impls.contains(&Impl::MochiJit)
        && let Some(mochi) = &artifacts.mochi
    {
        // The default mode's own statistics, then the optimizing tier compiling every
        // function (`--jit=opt`): the same functions the default mode stitches, for the
        // compile-time comparison.
        for (extra, into) in [(None, &mut jit_stats), (Some("--jit=opt"), &mut opt_stats)] {
            for prog in &programs {
                let mut argv = vec![mochi.clone().into_os_string(), "run".into()];
                argv.extend(extra.map(Into::into));
                argv.push("--jit-stats".into());
                argv.push(prog.source("mochi").into_os_string());
                let outcome = measure::run(&argv, prog.input(opts.quick), opts.timeout, &scratch)?;
                let error = (!outcome.exit.success()).then(|| describe_failure(&outcome));
                into.push(JitStats {
                    program: prog.name.clone(),
                    values: stats::parse_key_values(&outcome.stderr),
                    error,
                });
            }
        }
        // The collector's figures in the default mode, in a run of their own so that the
        // JIT statistics' extra work does not count in the GC share of wall time.
        for prog in &programs {
            let argv = vec![
                mochi.clone().into_os_string(),
                "run".into(),
                "--gc-stats".into(),
                prog.source("mochi").into_os_string(),
            ];
            let outcome = measure::run(&argv, prog.input(opts.quick), opts.timeout, &scratch)?;
            let error = (!outcome.exit.success()).then(|| describe_failure(&outcome));
            gc_stats.push(GcRun {
                program: prog.name.clone(),
                values: stats::parse_key_values(&outcome.stderr),
                wall_s: outcome.wall.as_secs_f64(),
                error,
            });
        }
        // Samples of one more default-mode run, for the share of time in each tier.
        if !opts.quick {
            match coverage::perf_works(&scratch) {
                Ok(()) => {
                    for prog in &programs {
                        let input = prog.input(opts.quick);
                        let run = coverage::measure(mochi, prog, input, opts.timeout, &scratch);
                        coverage.push(run);
                    }
                }
                Err(why) => {
                    log(&format!("coverage not measured: {why}"));
                    coverage_skipped = Some(why);
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);

    Ok(SuiteResult {
        quick: opts.quick,
        reps,
        programs: programs.iter().map(|p| p.name.clone()).collect(),
        impls: opts.impls.clone(),
        cells,
        jit_stats,
        opt_stats,
        gc_stats,
        coverage,
        coverage_skipped,
        mochi: artifacts.mochi.clone(),
        before: artifacts.before.clone(),
        notes,
    })
}

/// The order round `rep` visits `n` implementations in: a fixed pseudo-random permutation
/// per round. A rotation kept every column behind the same neighbour in every round, and
/// the process after a C or LuaJIT run pays for the kernel compacting memory into huge pages
/// (sieve in the default mode: 0.45 s wall after `c-O2`, 0.18 s after another Mochi run),
/// so one column carried that cost every time. Shuffled, it falls on each column in turn.
fn round_order(n: usize, rep: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ (rep as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    for i in (1..n).rev() {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let r = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
        order.swap(i, (r % (i as u64 + 1)) as usize);
    }
    order
}

/// Runs one program under every implementation: `reps` rounds, each round visiting the
/// implementations in its own shuffled order (`round_order`) so that machine drift and
/// the cost a run leaves to the next are shared out evenly.
#[allow(clippy::too_many_arguments)]
fn run_program(
    prog: &Program,
    opts: &Options,
    reps: usize,
    artifacts: &Artifacts,
    unavailable: &HashMap<Tool, String>,
    c_errors: &HashMap<String, String>,
    scratch: &std::path::Path,
    log: &mut dyn FnMut(&str),
) -> Result<Vec<Cell>> {
    let n = opts.impls.len();
    let mut cells: Vec<Cell> = Vec::with_capacity(n);
    let mut argvs = Vec::with_capacity(n);
    for &imp in &opts.impls {
        let argv = if let Some(why) = unavailable.get(&imp.tool()) {
            cells.push(Cell::unavailable(why.clone()));
            None
        } else if let Some(why) = c_errors.get(&prog.name).filter(|_| imp == Impl::C) {
            cells.push(Cell {
                status: Status::Failed(why.clone()),
                ..Cell::unavailable("")
            });
            None
        } else if let Some(argv) = impls::command(imp, prog, artifacts) {
            cells.push(Cell {
                status: Status::Ok,
                times: Vec::new(),
                rss_kb: Vec::new(),
                output: String::new(),
            });
            Some(argv)
        } else {
            cells.push(Cell::unavailable("no artifact"));
            None
        };
        argvs.push(argv);
    }

    let input = prog.input(opts.quick);
    for rep in 0..reps {
        for col in round_order(n, rep) {
            let Some(argv) = &argvs[col] else { continue };
            let cell = &mut cells[col];
            if cell.status != Status::Ok {
                continue; // failed earlier: do not keep paying for it
            }
            let outcome = measure::run(argv, input, opts.timeout, scratch)?;
            if rep == 0 {
                cell.output = normalize_output(&outcome.stdout);
            }
            cell.rss_kb.push(outcome.max_rss_kb);
            match outcome.exit {
                Exit::Timeout => cell.status = Status::Timeout,
                exit if !exit.success() => cell.status = Status::Failed(describe_failure(&outcome)),
                _ if outcome.stdout.trim().is_empty() => {
                    cell.status = Status::Failed("printed nothing".to_string())
                }
                _ => cell.times.push(outcome.wall.as_secs_f64()),
            }
            if rep == 0 {
                let label = opts.impls[col].label();
                match &cell.status {
                    Status::Ok => log(&format!(
                        "  {label:<13} {:>9.3} s  {}",
                        outcome.wall.as_secs_f64(),
                        first_line(&cell.output)
                    )),
                    other => log(&format!(
                        "  {label:<13} {}  {}",
                        other.word(),
                        failure_text(other)
                    )),
                }
            }
        }
    }

    // Agreement: against the recorded expected output, else against the most common output.
    let want = match prog.expected_output(opts.quick) {
        Some(w) => Some(w.to_string()),
        None => majority_output(&cells),
    };
    if let Some(want) = want {
        for (col, cell) in cells.iter_mut().enumerate() {
            if cell.status == Status::Ok && cell.output != want {
                log(&format!(
                    "  !!! MISMATCH: {} under {} printed {:?}, expected {:?}",
                    prog.name,
                    opts.impls[col].label(),
                    cell.output,
                    want
                ));
                cell.status = Status::Mismatch {
                    got: cell.output.clone(),
                    want: want.clone(),
                };
            }
        }
    }
    Ok(cells)
}

fn majority_output(cells: &[Cell]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for cell in cells.iter().filter(|c| c.status == Status::Ok) {
        match counts.iter_mut().find(|(o, _)| *o == cell.output) {
            Some(slot) => slot.1 += 1,
            None => counts.push((&cell.output, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(o, _)| o.to_string())
}

fn describe_failure(outcome: &measure::Outcome) -> String {
    let what = match outcome.exit {
        Exit::Code(c) => format!("exit {c}"),
        Exit::Signal(s) => format!("signal {s}"),
        Exit::Timeout => "timeout".to_string(),
    };
    match outcome.stderr.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(line) => format!("{what}: {}", truncate(line.trim(), 120)),
        None => what,
    }
}

/// Human text for a non-ok status.
pub fn failure_text(status: &Status) -> String {
    match status {
        Status::Ok => String::new(),
        Status::Mismatch { got, want } => format!(
            "printed {:?}, expected {:?}",
            truncate(got, 60),
            truncate(want, 60)
        ),
        Status::Failed(why) | Status::Unavailable(why) => why.clone(),
        Status::Timeout => "killed at the timeout".to_string(),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::round_order;

    #[test]
    fn rounds_visit_every_column_once_in_varying_orders() {
        let n = 9;
        let orders: Vec<Vec<usize>> = (0..5).map(|rep| round_order(n, rep)).collect();
        for o in &orders {
            let mut sorted = o.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>());
        }
        // Column 0's predecessor (the column run just before it, across round boundaries)
        // is not the same in every round.
        let flat: Vec<usize> = orders.concat();
        let before: std::collections::HashSet<usize> = flat
            .windows(2)
            .filter(|w| w[1] == 0)
            .map(|w| w[0])
            .collect();
        assert!(before.len() > 1, "{orders:?}");
    }
}
