//! `lex_parse`: see `mochi_progen::fuzz::lex_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mochi_progen::fuzz::lex_parse(data);
});
