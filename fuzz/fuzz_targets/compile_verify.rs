//! `compile_verify`: anything that checks must compile and verify
//! (see `mochi_progen::fuzz::compile_verify`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mochi_progen::fuzz::compile_verify(data);
});
