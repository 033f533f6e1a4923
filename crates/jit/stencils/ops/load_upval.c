// LoadUpval: the running closure (frame[-1]) -> its captured cell -> value. _JIT_UP = index * 8.
#include "mochi.h"

STENCIL {
    Value clo = frame[-1];
    Value *captures = *(Value **)(ptr_of(clo) + CLOSURE_CAPTURES_OFFSET);
    Value cell = *(Value *)((char *)captures + (uintptr_t)_JIT_UP);
    SLOT(_JIT_DST) = *(Value *)(ptr_of(cell) + CELL_VALUE_OFFSET);
    CONTINUE();
}
