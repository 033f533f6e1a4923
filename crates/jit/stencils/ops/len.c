// Len: lists inline.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (UNLIKELY(TAG(_JIT_SRC) != OBJ_KIND_LIST))
        SLOW();
    SET_INT(_JIT_DST, *(int64_t *)((char *)BITS(_JIT_SRC) + LIST_LEN_OFFSET));
    CONTINUE();
}
