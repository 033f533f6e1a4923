//! Test-input generation for the Mochi pipeline: seed → well-typed Mochi program text
//! (`generate`), seed → program ending in a known runtime error on a known line
//! (`generate_error`), and the fuzz targets with their deterministic mutator (`fuzz`).
//!
//! Input → output: a `u64` seed → Mochi source text (deterministic: the same seed gives the
//! same bytes on every platform); bytes → "the pipeline did not misbehave".
//! Must never depend on: the runtime's internals, the JIT, the CLI (programs are run through
//! the `mochi` binary so every tier is exercised the way users run it).
//!
//! Start reading at [`generate`]; the differential test is `tests/differential.rs`, the
//! stable fuzz driver `tests/fuzz_stable.rs` and `src/bin/mochi-fuzz.rs`.
#![forbid(unsafe_code)]

pub mod fuzz;
mod generator;
pub mod rng;

pub use generator::{ErrorMode, ErrorProgram, generate, generate_error};
