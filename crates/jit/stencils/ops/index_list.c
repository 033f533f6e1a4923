// IndexList: negative counts from the end; out of range reads none.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_OBJ) != OBJ_KIND_LIST))
        SLOW();
    if (UNLIKELY(TAG(_JIT_IDX) != TAG_INT))
        SLOW();
    char *p = (char *)BITS(_JIT_OBJ);
    int64_t len = *(int64_t *)(p + LIST_LEN_OFFSET);
    int64_t j = INT(_JIT_IDX);
    if (j < 0)
        j += len;
    if (UNLIKELY((uint64_t)j >= (uint64_t)len)) {
        store_parts(SLOT_PTR(_JIT_DST), 0, TAG_NONE);
        CONTINUE();
    }
    store_value(SLOT_PTR(_JIT_DST), load_value(*(Value **)(p + LIST_ITEMS_OFFSET) + j));
    CONTINUE();
}
