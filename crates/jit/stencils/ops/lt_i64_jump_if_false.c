// LtI64JumpIfFalse: fused compare and branch.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_INT))
        SLOW_BRANCH();
    if (UNLIKELY(TAG(_JIT_B) != TAG_INT))
        SLOW_BRANCH();
    if (!(INT(_JIT_A) < INT(_JIT_B)))
        JUMP();
    CONTINUE();
}
