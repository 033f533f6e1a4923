// SubF64: both operands floats, else the slow path.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_FLOAT))
        SLOW();
    if (UNLIKELY(TAG(_JIT_B) != TAG_FLOAT))
        SLOW();
    SET_FLT(_JIT_DST, FLT(_JIT_A) - FLT(_JIT_B));
    CONTINUE();
}
