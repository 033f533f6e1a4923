// Not: bools inline, other truthiness in Rust.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_SRC);
    if (UNLIKELY((a >> TAG_SHIFT) != TAG_BOOL))
        SLOW();
    SLOT(_JIT_DST) = a ^ 1;
    CONTINUE();
}
