// SetField: a struct of the expected type writes its field inline. The `ko` variant: an
// earlier op of the block found the same slot a struct of this type.
// cnp-variants: ko
#include "mochi.h"

STENCIL {
    if (CHECKS_OBJ && UNLIKELY(TAG(_JIT_OBJ) != OBJ_KIND_STRUCT))
        SLOW();
    char *p = (char *)BITS(_JIT_OBJ);
    if (CHECKS_OBJ && UNLIKELY(*(uint64_t *)(p + STRUCT_DESC_OFFSET) != HOLE64(_JIT_DESC)))
        SLOW();
    store_value((Value *)(p + (uintptr_t)_JIT_FIELD_OFF), load_value(SLOT_PTR(_JIT_SRC)));
    CONTINUE();
}
