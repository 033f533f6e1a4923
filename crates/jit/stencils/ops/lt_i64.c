// LtI64: bool result.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    if (UNLIKELY(!both_int(a, b)))
        SLOW();
    SLOT(_JIT_DST) = make_bool(shifted(a) < shifted(b));
    CONTINUE();
}
