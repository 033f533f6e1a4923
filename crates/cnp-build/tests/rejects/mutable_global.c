// Rejected: stencils may not keep mutable state (.bss/.data).
#include "stencil.h"

static int64_t counter;

STENCIL {
    counter += 1;
    SLOT(_JIT_SLOT_D) = counter;
    CONTINUE();
}
