// NegF64.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (UNLIKELY(TAG(_JIT_SRC) != TAG_FLOAT))
        SLOW();
    SET_FLT(_JIT_DST, -FLT(_JIT_SRC));
    CONTINUE();
}
