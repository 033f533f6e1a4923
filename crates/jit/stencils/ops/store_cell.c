// StoreCell: the value in cell `cell` = src.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (UNLIKELY(TAG(_JIT_CELL) != OBJ_KIND_CELL))
        SLOW();
    store_value((Value *)((char *)BITS(_JIT_CELL) + CELL_VALUE_OFFSET), load_value(SLOT_PTR(_JIT_SRC)));
    CONTINUE();
}
