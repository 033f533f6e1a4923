//! Mochi's copy-and-patch JIT tier. (Being written.)
