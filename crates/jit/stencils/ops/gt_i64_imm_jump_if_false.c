// GtI64ImmJumpIfFalse: fused compare with an immediate and branch.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A);
    if (UNLIKELY(!is_int(a)))
        SLOW_BRANCH();
    if (!(int_of(a) > IMM32(_JIT_IMM)))
        JUMP();
    CONTINUE();
}
