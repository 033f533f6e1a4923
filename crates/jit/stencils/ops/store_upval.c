// StoreUpval.
#include "mochi.h"

STENCIL {
    Value clo = frame[-1];
    Value *captures = *(Value **)(ptr_of(clo) + CLOSURE_CAPTURES_OFFSET);
    Value cell = *(Value *)((char *)captures + (uintptr_t)_JIT_UP);
    *(Value *)(ptr_of(cell) + CELL_VALUE_OFFSET) = SLOT(_JIT_SRC);
    CONTINUE();
}
