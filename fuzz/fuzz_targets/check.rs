//! `check`: see `mochi_progen::fuzz::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mochi_progen::fuzz::check(data);
});
