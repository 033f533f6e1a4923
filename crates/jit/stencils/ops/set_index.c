// SetIndex: an int key inside a map's array part is stored inline (a filled hole counted,
// as map.rs `insert_int` does); lists, hashed keys and keys past the array part take the
// slow path.
#include "mochi.h"

STENCIL {
    char *p = (char *)BITS(_JIT_OBJ);
    uint64_t k = BITS(_JIT_IDX);
    if (LIKELY((TAG(_JIT_OBJ) == OBJ_KIND_MAP) & (TAG(_JIT_IDX) == TAG_INT)) &&
        LIKELY(k < *(uint64_t *)(p + MAP_ARR_LEN_OFFSET))) {
        Value *e = *(Value **)(p + MAP_ARR_ITEMS_OFFSET) + k;
        *(uint64_t *)(p + MAP_ARR_COUNT_OFFSET) += e->tag == MAP_HOLE_TAG;
        store_value(e, load_value(SLOT_PTR(_JIT_SRC)));
        CONTINUE();
    }
    SLOW();
}
