// ModF64: float % (fmod lives in Rust); always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
