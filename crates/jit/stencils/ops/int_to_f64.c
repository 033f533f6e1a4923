// IntToF64: float(i) for an int.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (UNLIKELY(TAG(_JIT_SRC) != TAG_INT))
        SLOW();
    SET_FLT(_JIT_DST, (double)INT(_JIT_SRC));
    CONTINUE();
}
