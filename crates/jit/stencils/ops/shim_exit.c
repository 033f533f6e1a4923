// The continuation of a frame entered from Rust: the Mochi function has returned (its result
// is in frame[-1]), so leave the stitched code with status 0.
#include "mochi.h"

STENCIL { return 0; }
