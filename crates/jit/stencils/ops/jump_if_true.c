// JumpIfTrue: bools inline, other truthiness in Rust.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_COND) != TAG_BOOL))
        SLOW_BRANCH();
    if (BITS(_JIT_COND) != 0)
        JUMP();
    CONTINUE();
}
