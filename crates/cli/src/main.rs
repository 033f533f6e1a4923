//! The `mochi` command. (Being written.)
fn main() {}
