// LoadCell: dst = the value in cell `cell`.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    if (UNLIKELY(TAG(_JIT_CELL) != OBJ_KIND_CELL))
        SLOW();
    store_value(SLOT_PTR(_JIT_DST), load_value((Value *)((char *)BITS(_JIT_CELL) + CELL_VALUE_OFFSET)));
    CONTINUE();
}
