// NegF64.
#include "mochi.h"

STENCIL {
    // The fast path as the `if` body: with one slow exit, x86_64 folds it into a `jcc` only
    // this way round, so the continuation jump stays last (elided).
    if (LIKELY(TAG(_JIT_SRC) == TAG_FLOAT)) {
        SET_FLT(_JIT_DST, -FLT(_JIT_SRC));
        CONTINUE();
    }
    SLOW();
}
