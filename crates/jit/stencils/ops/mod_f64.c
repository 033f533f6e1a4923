// ModF64: float % (fmod lives in Rust); always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
