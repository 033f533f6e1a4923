// NegI64.
#include "mochi.h"

STENCIL {
    Value a = SLOT(_JIT_SRC);
    if (UNLIKELY(!is_int(a) || int_of(a) == SMALL_INT_MIN))
        SLOW();
    SLOT(_JIT_DST) = make_int(-int_of(a));
    CONTINUE();
}
