// LeF64: bool result.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    if (UNLIKELY(!is_float(a)))
        SLOW();
    if (UNLIKELY(!is_float(b)))
        SLOW();
    SLOT(_JIT_DST) = make_bool(float_of(a) <= float_of(b));
    CONTINUE();
}
