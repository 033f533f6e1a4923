//! `cnp-build`: the command-line front end of the stencil-build tool (see the library docs).
//!
//! `cnp-build --stencils DIR --header-dir DIR --out DIR [--target TRIPLE]... [--check] [--force]`
//! compiles every `DIR/NAME.c` stencil with the pinned clang for each target and writes
//! `OUT/<target_module>.rs`; `--check` writes nothing and fails if a committed table differs.
//! Must never depend on any language crate.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Compile C stencils with a pinned clang and write Rust stencil tables.
#[derive(Parser)]
#[command(name = "cnp-build", version)]
struct Args {
    /// Directory of stencil sources (`NAME.c`, one stencil each).
    #[arg(long)]
    stencils: PathBuf,
    /// Directory of headers the stencils include.
    #[arg(long)]
    header_dir: PathBuf,
    /// Directory for the generated tables.
    #[arg(long)]
    out: PathBuf,
    /// Target triple to build (repeatable; default: every supported target).
    #[arg(long = "target")]
    targets: Vec<String>,
    /// Regenerate in memory and fail if a committed table differs.
    #[arg(long)]
    check: bool,
    /// Rebuild even when the committed digest matches the inputs.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = cnp_build::run(&cnp_build::Options {
        stencil_dir: args.stencils,
        header_dir: args.header_dir,
        out_dir: args.out,
        targets: args.targets,
        check: args.check,
        force: args.force,
    });
    match result {
        Ok(report) => {
            for line in report {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
