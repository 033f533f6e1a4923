// DivI64: truncating; a zero divisor and i64::MIN / -1 take the slow path.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_INT))
        SLOW();
    if (UNLIKELY(TAG(_JIT_B) != TAG_INT))
        SLOW();
    int64_t a = INT(_JIT_A), b = INT(_JIT_B);
    if (UNLIKELY(b == 0))
        SLOW();
    if (UNLIKELY(b == -1))
        SLOW();  // i64::MIN / -1 leaves 64 bits; x / -1 is rare enough to not special-case
    SET_INT(_JIT_DST, a / b);
    CONTINUE();
}
