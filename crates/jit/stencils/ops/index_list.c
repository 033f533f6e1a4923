// IndexList: negative counts from the end; out of range reads none.
#include "mochi.h"

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
    if (j < 0)
        j += len;
    Value v = V_NONE;
    if (LIKELY((uint64_t)j < (uint64_t)len))
        v = (*(Value **)(p + LIST_ITEMS_OFFSET))[j];
    SLOT(_JIT_DST) = v;
    CONTINUE();
}
