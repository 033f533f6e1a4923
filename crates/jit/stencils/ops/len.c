// Len: lists inline.
#include "mochi.h"

STENCIL {
    // The fast path as the `if` body: with one slow exit, x86_64 folds it into a `jcc` only
    // this way round, so the continuation jump stays last (elided).
    if (LIKELY(TAG(_JIT_SRC) == OBJ_KIND_LIST)) {
        SET_INT(_JIT_DST, *(int64_t *)((char *)BITS(_JIT_SRC) + LIST_LEN_OFFSET));
        CONTINUE();
    }
    SLOW();
}
