// The stencil of every op without a fast path (and so without a file of its own): run the
// op in Rust, the interpreter's semantics. The stitcher maps such ops here (lower.rs).
#include "mochi.h"

STENCIL {
    GENERIC();
}
