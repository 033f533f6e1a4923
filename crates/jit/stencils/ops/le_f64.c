// LeF64: bool result (false with NaN).
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_FLOAT))
        SLOW();
    if (UNLIKELY(TAG(_JIT_B) != TAG_FLOAT))
        SLOW();
    SET_BOOL(_JIT_DST, FLT(_JIT_A) <= FLT(_JIT_B));
    CONTINUE();
}
