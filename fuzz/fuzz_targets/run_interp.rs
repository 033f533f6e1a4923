//! `run_interp`: runs the input through `mochi run --jit=off --max-heap 64M` with a 3 s timeout;
//! the run must end with exit 0, 1 (runtime error with a message) or 2 (diagnostics), never
//! a signal or a Rust panic. The binary is `$MOCHI_BIN` (default `../target/debug/mochi`;
//! build it first with `cargo build -p mochi-cli`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = mochi_progen::fuzz::run_once(data, &["--jit=off", "--max-heap", "64M"]) {
        panic!("{e}");
    }
});
