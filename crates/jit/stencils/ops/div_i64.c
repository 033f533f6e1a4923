// DivI64: truncating; zero divisor and -2^47 / -1 take the slow path.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    if (UNLIKELY(!both_int(a, b)))
        SLOW();
    if (UNLIKELY(int_of(b) == 0))
        SLOW();
    int64_t q = int_of(a) / int_of(b);
    if (UNLIKELY(!fits_small(q)))
        SLOW();
    SLOT(_JIT_DST) = make_int(q);
    CONTINUE();
}
