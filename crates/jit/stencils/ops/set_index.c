// SetIndex: an int key inside a map's array part is stored inline (a filled hole counted,
// as map.rs `insert_int` does); lists, hashed keys and keys past the array part take the
// slow path.
#include "mochi.h"

STENCIL {
    Value *e;
    if (LIKELY(map_array_entry(SLOT_PTR(_JIT_OBJ), SLOT_PTR(_JIT_IDX), &e))) {
        char *p = (char *)BITS(_JIT_OBJ);
        *(uint64_t *)(p + MAP_ARR_COUNT_OFFSET) += e->tag == MAP_HOLE_TAG;
        store_value(e, load_value(SLOT_PTR(_JIT_SRC)));
        CONTINUE();
    }
    SLOW();
}
