//! Prints one generated program: `progen SEED` (normal) or `progen --error SEED`.
#![forbid(unsafe_code)]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let error = args.iter().any(|a| a == "--error");
    let seed: u64 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(0);
    if error {
        let p = mochi_progen::generate_error(seed);
        eprintln!(
            "expect {:?} ({}) on line {}",
            p.mode,
            p.mode.message(),
            p.line
        );
        print!("{}", p.source);
    } else {
        print!("{}", mochi_progen::generate(seed));
    }
}
