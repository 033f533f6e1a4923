// Len: lists inline.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value o = SLOT(_JIT_SRC);
    if (UNLIKELY(!is_ptr(o)))
        SLOW();
    if (UNLIKELY(kind_of(o) != OBJ_KIND_LIST))
        SLOW();
    SLOT(_JIT_DST) = make_int(*(int64_t *)(ptr_of(o) + LIST_LEN_OFFSET));
    CONTINUE();
}
