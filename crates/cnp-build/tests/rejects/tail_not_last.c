// Rejected: the continuation jump is not the final instruction.
#include "stencil.h"

STENCIL {
    if (SLOT(_JIT_SLOT_A) < SLOT(_JIT_SLOT_B)) {
        SLOT(_JIT_SLOT_D) = 1;
        CONTINUE();
    }
    return SLOT(_JIT_SLOT_A);
}
