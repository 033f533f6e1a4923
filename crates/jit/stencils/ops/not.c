// Not: bools inline, other truthiness in Rust.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (UNLIKELY(TAG(_JIT_SRC) != TAG_BOOL))
        SLOW();
    SET_BOOL(_JIT_DST, BITS(_JIT_SRC) == 0);
    CONTINUE();
}
