// Expect: the slow path reports the failure.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (LIKELY(SLOT(_JIT_SRC) == V_TRUE))
        CONTINUE();
    SLOW();
}
