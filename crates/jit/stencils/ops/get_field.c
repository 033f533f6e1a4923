// GetField: a struct of the expected type reads its field inline.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value o = SLOT(_JIT_OBJ);
    if (UNLIKELY(!is_ptr(o)))
        SLOW();
    if (UNLIKELY(kind_of(o) != OBJ_KIND_STRUCT))
        SLOW();
    if (UNLIKELY(*(uint64_t *)(ptr_of(o) + STRUCT_DESC_OFFSET) != HOLE64(_JIT_DESC)))
        SLOW();
    SLOT(_JIT_DST) = *(Value *)(ptr_of(o) + (uintptr_t)_JIT_FIELD_OFF);
    CONTINUE();
}
