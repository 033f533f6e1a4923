// NegF64.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_SRC);
    if (UNLIKELY(!is_float(a)))
        SLOW();
    SLOT(_JIT_DST) = make_float(-float_of(a));
    CONTINUE();
}
