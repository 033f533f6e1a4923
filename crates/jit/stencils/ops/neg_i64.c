// NegI64.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_SRC);
    if (UNLIKELY(!is_int(a)))
        SLOW();
    if (UNLIKELY(int_of(a) == SMALL_INT_MIN))
        SLOW();
    SLOT(_JIT_DST) = make_int(-int_of(a));
    CONTINUE();
}
