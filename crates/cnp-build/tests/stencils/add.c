#include "stencil.h"

STENCIL {
    SLOT(_JIT_SLOT_D) = SLOT(_JIT_SLOT_A) + SLOT(_JIT_SLOT_B);
    CONTINUE();
}
