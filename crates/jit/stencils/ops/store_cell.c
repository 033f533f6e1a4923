// StoreCell: the value in cell `cell` = src.
#include "mochi.h"

STENCIL {
    // The fast path as the `if` body: with one slow exit, x86_64 folds it into a `jcc` only
    // this way round, so the continuation jump stays last (elided).
    if (LIKELY(TAG(_JIT_CELL) == OBJ_KIND_CELL)) {
        store_value((Value *)((char *)BITS(_JIT_CELL) + CELL_VALUE_OFFSET), load_value(SLOT_PTR(_JIT_SRC)));
        CONTINUE();
    }
    SLOW();
}
