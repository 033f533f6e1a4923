// Expect: the slow path reports the failure.
#include "mochi.h"

STENCIL {
    if (LIKELY(TAG(_JIT_SRC) == TAG_BOOL && BITS(_JIT_SRC) == 1))
        CONTINUE();
    SLOW();
}
