//! Stencil-build tool. (Being written.)
fn main() {}
