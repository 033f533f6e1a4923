// Not: bools inline, other truthiness in Rust.
#include "mochi.h"

STENCIL {
    // The fast path as the `if` body: with one slow exit, x86_64 folds it into a `jcc` only
    // this way round, so the continuation jump stays last (elided).
    if (LIKELY(TAG(_JIT_SRC) == TAG_BOOL)) {
        SET_BOOL(_JIT_DST, BITS(_JIT_SRC) == 0);
        CONTINUE();
    }
    SLOW();
}
