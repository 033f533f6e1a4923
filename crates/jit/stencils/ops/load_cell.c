// LoadCell: dst = *cell.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value cell = SLOT(_JIT_CELL);
    if (UNLIKELY(!is_ptr(cell)))
        SLOW();
    SLOT(_JIT_DST) = *(Value *)(ptr_of(cell) + CELL_VALUE_OFFSET);
    CONTINUE();
}
