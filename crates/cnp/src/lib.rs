//! Copy-and-patch core. (Being written.)
