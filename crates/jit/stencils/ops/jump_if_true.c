// JumpIfTrue.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value c = SLOT(_JIT_COND);
    if (LIKELY(c == V_TRUE))
        JUMP();
    if (LIKELY(c == V_FALSE))
        CONTINUE();
    SLOW_BRANCH();
}
