// GeI64ImmJumpIfFalse: fused compare with an immediate and branch.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_INT))
        SLOW_BRANCH();
    if (!(INT(_JIT_A) >= IMM32(_JIT_IMM)))
        JUMP();
    CONTINUE();
}
