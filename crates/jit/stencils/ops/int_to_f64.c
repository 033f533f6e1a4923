// IntToF64.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_SRC);
    if (UNLIKELY(!is_int(a)))
        SLOW();
    SLOT(_JIT_DST) = make_float((double)int_of(a));
    CONTINUE();
}
