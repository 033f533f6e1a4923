// ModI64: remainder with the sign of the dividend.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    if (UNLIKELY(!both_int(a, b)))
        SLOW();
    if (UNLIKELY(int_of(b) == 0))
        SLOW();
    SLOT(_JIT_DST) = make_int(int_of(a) % int_of(b));
    CONTINUE();
}
