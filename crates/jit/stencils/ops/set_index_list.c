// SetIndexList: in-range writes to an unshared buffer inline.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value o = SLOT(_JIT_OBJ), i = SLOT(_JIT_IDX);
    if (UNLIKELY(!is_ptr(o)))
        SLOW();
    if (UNLIKELY(!is_int(i)))
        SLOW();
    if (UNLIKELY(kind_of(o) != OBJ_KIND_LIST))
        SLOW();
    char *p = ptr_of(o);
    int64_t len = *(int64_t *)(p + LIST_LEN_OFFSET);
    int64_t j = int_of(i);
    if (UNLIKELY((uint64_t)j >= (uint64_t)len))
        SLOW();  // negative, growing, or an error
    Value *items = *(Value **)(p + LIST_ITEMS_OFFSET);
    if (UNLIKELY(*(uint64_t *)((char *)items + LIST_BUF_REFS_OFFSET) != 1))
        SLOW();  // buffer shared with another list: copy on write
    items[j] = SLOT(_JIT_SRC);
    CONTINUE();
}
