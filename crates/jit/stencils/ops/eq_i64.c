// EqI64: bool result.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_INT))
        SLOW();
    if (UNLIKELY(TAG(_JIT_B) != TAG_INT))
        SLOW();
    SET_BOOL(_JIT_DST, INT(_JIT_A) == INT(_JIT_B));
    CONTINUE();
}
