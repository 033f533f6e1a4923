// StoreUpval: the running closure (frame[-1]) -> its captured cell = src.
#include "mochi.h"

STENCIL {
    Value *captures = *(Value **)((char *)frame[-1].bits + CLOSURE_CAPTURES_OFFSET);
    char *cell = (char *)((Value *)((char *)captures + (uintptr_t)_JIT_UP))->bits;
    store_value((Value *)(cell + CELL_VALUE_OFFSET), load_value(SLOT_PTR(_JIT_SRC)));
    CONTINUE();
}
