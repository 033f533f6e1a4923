// JumpIfFalse: bools inline, other truthiness in Rust.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value c = SLOT(_JIT_COND);
    if (LIKELY(c == V_TRUE))
        CONTINUE();
    if (LIKELY(c == V_FALSE))
        JUMP();
    SLOW_BRANCH();
}
