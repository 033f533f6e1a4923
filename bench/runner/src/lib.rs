//! Benchmark runner for the Mochi runtime.
//!
//! Input: the programs under `bench/programs/NAME/` (one `NAME.mochi`, `NAME.py`, `NAME.lua` and
//! `NAME.c` each, plus `expected.out`, `quick.in` and `quick.out`). Output: a [`suite::SuiteResult`]
//! holding wall times, peak memory, GC figures ([`gc`]), the share of time per tier
//! ([`coverage`]) and output checks of every program under every
//! [`impls::Impl`], rendered by [`report`] into `BENCHMARKS.md`, `bench/results/*.json|csv` and
//! by [`chart`] into `bench/results/ratios.svg`.
//!
//! This crate depends on no Mochi crate: it runs the `mochi` binary as a child process, like any
//! other peer, so it keeps working while the compiler changes underneath it.
//!
//! Start reading at [`suite::run_suite`]; `main.rs` only parses flags and writes files.

pub mod chart;
pub mod coverage;
pub mod gc;
pub mod impls;
pub mod machine;
pub mod measure;
pub mod program;
pub mod report;
pub mod setup;
pub mod stats;
pub mod suite;
