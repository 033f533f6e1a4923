#include "stencil.h"

STENCIL {
    if (SLOT(_JIT_SLOT_A) < SLOT(_JIT_SLOT_B)) {
        JUMP_TARGET();
    }
    CONTINUE();
}
