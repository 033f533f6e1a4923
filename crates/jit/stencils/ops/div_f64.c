// DivF64: division by zero is a runtime error (the slow path reports it).
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_FLOAT))
        SLOW();
    if (UNLIKELY(TAG(_JIT_B) != TAG_FLOAT))
        SLOW();
    double b = FLT(_JIT_B);
    if (UNLIKELY(b == 0.0))
        SLOW();
    SET_FLT(_JIT_DST, FLT(_JIT_A) / b);
    CONTINUE();
}
