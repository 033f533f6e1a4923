// LoadUpval: the running closure (frame[-1]) -> its captured cell -> value. _JIT_UP = index * 16.
#include "mochi.h"

STENCIL {
    Value *captures = *(Value **)((char *)frame[-1].bits + CLOSURE_CAPTURES_OFFSET);
    char *cell = (char *)((Value *)((char *)captures + (uintptr_t)_JIT_UP))->bits;
    store_value(SLOT_PTR(_JIT_DST), load_value((Value *)(cell + CELL_VALUE_OFFSET)));
    CONTINUE();
}
