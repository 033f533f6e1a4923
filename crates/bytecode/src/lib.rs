//! Typed register bytecode. (Being written.)
#![forbid(unsafe_code)]
