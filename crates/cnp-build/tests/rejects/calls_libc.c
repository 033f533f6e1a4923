// Rejected: a call to a symbol that is not a _JIT_ hole.
#include "stencil.h"

extern int64_t labs64(int64_t);

STENCIL {
    SLOT(_JIT_SLOT_D) = labs64(SLOT(_JIT_SLOT_A));
    CONTINUE();
}
