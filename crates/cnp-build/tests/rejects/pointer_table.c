// Rejected: read-only data with relocations (a table of pointers) cannot be placed.
#include "stencil.h"

static const char *const names[] = {"zero", "one"};

STENCIL {
    SLOT(_JIT_SLOT_D) = (int64_t)(uintptr_t)names[SLOT(_JIT_SLOT_A) & 1];
    CONTINUE();
}
