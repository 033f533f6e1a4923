// In: an int key inside a map's array part is present unless its entry is a hole; hashed
// keys, lists and strings take the slow path.
#include "mochi.h"

STENCIL {
    char *p = (char *)BITS(_JIT_COLL);
    uint64_t k = BITS(_JIT_X);
    // The fast path as the `if` body, one slow exit: x86_64 then keeps no continuation jump.
    if (LIKELY((TAG(_JIT_COLL) == OBJ_KIND_MAP) & (TAG(_JIT_X) == TAG_INT)) &&
        LIKELY(k < *(uint64_t *)(p + MAP_ARR_LEN_OFFSET))) {
        Value *e = *(Value **)(p + MAP_ARR_ITEMS_OFFSET) + k;
        SET_BOOL(_JIT_DST, e->tag != MAP_HOLE_TAG);
        CONTINUE();
    }
    SLOW();
}
