// IndexMapOrZero: a present int key of the map's array part is read inline; absent keys
// (the zero value), hashed keys and other collections take the slow path.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_OBJ) != OBJ_KIND_MAP))
        SLOW();
    if (UNLIKELY(TAG(_JIT_IDX) != TAG_INT))
        SLOW();
    char *p = (char *)BITS(_JIT_OBJ);
    uint64_t k = BITS(_JIT_IDX);
    if (UNLIKELY(k >= *(uint64_t *)(p + MAP_ARR_LEN_OFFSET)))
        SLOW();  // negative or past the array part
    Value *e = *(Value **)(p + MAP_ARR_ITEMS_OFFSET) + k;
    Value v = load_value(e);
    if (UNLIKELY(v.tag == MAP_HOLE_TAG))
        SLOW();
    store_value(SLOT_PTR(_JIT_DST), v);
    CONTINUE();
}
