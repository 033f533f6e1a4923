// IndexList: an index in range reads inline; a negative one (counting from the end) or one
// out of range (which reads none) takes the slow path, rare enough to keep the fast path a
// single unsigned compare.
// cnp-variants: ko ki ko+ki ri ko+ri
#include "mochi.h"

STENCIL {
    CHECK_LIST_INDEX();
    char *p = (char *)BITS(_JIT_OBJ);
    uint64_t j = (uint64_t)INT_IDX();
    LAST_CHECK(!CHECKS_OBJ && !CHECKS_IDX, j < *(uint64_t *)(p + LIST_LEN_OFFSET), {
        store_value(SLOT_PTR(_JIT_DST), load_value(*(Value **)(p + LIST_ITEMS_OFFSET) + j));
        CONTINUE();
    });
}
