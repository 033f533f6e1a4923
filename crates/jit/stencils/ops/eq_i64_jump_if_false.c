// EqI64JumpIfFalse: fused compare and branch.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    if (UNLIKELY(!both_int(a, b)))
        SLOW_BRANCH();
    if (!(a == b))
        JUMP();
    CONTINUE();
}
