// SetIndexList: in-range writes to an unshared buffer inline.
// cnp-variants: ko ki ko+ki ri ko+ri
#include "mochi.h"

STENCIL {
    CHECK_LIST_INDEX();
    char *p = (char *)BITS(_JIT_OBJ);
    int64_t len = *(int64_t *)(p + LIST_LEN_OFFSET);
    int64_t j = INT_IDX();
    if (UNLIKELY((uint64_t)j >= (uint64_t)len))
        SLOW();  // negative, growing, or an error
    Value *items = *(Value **)(p + LIST_ITEMS_OFFSET);
    if (UNLIKELY(*(uint64_t *)((char *)items + LIST_BUF_REFS_OFFSET) != 1))
        SLOW();  // buffer shared with another list: copy on write
    store_value(items + j, load_value(SLOT_PTR(_JIT_SRC)));
    CONTINUE();
}
