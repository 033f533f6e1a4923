// StoreCell: *cell = src.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value cell = SLOT(_JIT_CELL);
    if (UNLIKELY(!is_ptr(cell)))
        SLOW();
    *(Value *)(ptr_of(cell) + CELL_VALUE_OFFSET) = SLOT(_JIT_SRC);
    CONTINUE();
}
