// LtF64JumpIfFalse: NaN compares false, so it jumps.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_FLOAT))
        SLOW_BRANCH();
    if (UNLIKELY(TAG(_JIT_B) != TAG_FLOAT))
        SLOW_BRANCH();
    if (!(FLT(_JIT_A) < FLT(_JIT_B)))
        JUMP();
    CONTINUE();
}
