// Not rejected but not elidable: the continuation jump is not the final instruction, so it
// is kept and patched (the golden rejects.txt says `kept`).
#include "stencil.h"

STENCIL {
    if (SLOT(_JIT_SLOT_A) < SLOT(_JIT_SLOT_B)) {
        SLOT(_JIT_SLOT_D) = 1;
        CONTINUE();
    }
    return SLOT(_JIT_SLOT_A);
}
