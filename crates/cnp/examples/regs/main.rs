//! `cargo run -p cnp --example regs [FILE]`: stitches a "regs" program (the README's sum of
//! squares without FILE) and prints what it returns. See README.md in this directory.

mod lang;

fn main() -> std::process::ExitCode {
    let source = match std::env::args().nth(1) {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: {path}: {error}");
                return std::process::ExitCode::FAILURE;
            }
        },
        None => lang::SUM_OF_SQUARES.to_owned(),
    };
    let Some(table) = lang::host_table() else {
        eprintln!("error: stitched code runs only on x86_64 Linux in this example");
        return std::process::ExitCode::FAILURE;
    };
    match lang::compile(table, &source) {
        Ok(program) => {
            println!("{}", program.run());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
