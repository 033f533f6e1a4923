// AppendOwned: `xs = append(xs, v)` where `xs` is the list its owner slot holds and the
// list's private buffer has room: the element is stored in place (heap.rs `list_push`);
// a new list, a full or shared buffer take the slow path.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_LIST) != OBJ_KIND_LIST))
        SLOW();
    if (UNLIKELY(TAG(_JIT_OWNER) != OBJ_KIND_LIST))
        SLOW();
    char *p = (char *)BITS(_JIT_LIST);
    if (UNLIKELY((char *)BITS(_JIT_OWNER) != p))
        SLOW();
    int64_t len = *(int64_t *)(p + LIST_LEN_OFFSET);
    if (UNLIKELY(len >= *(int64_t *)(p + LIST_CAP_OFFSET)))
        SLOW();  // full: the buffer grows in Rust
    Value *items = *(Value **)(p + LIST_ITEMS_OFFSET);
    if (UNLIKELY(*(uint64_t *)((char *)items + LIST_BUF_REFS_OFFSET) != 1))
        SLOW();  // shared with another list: copy on write
    store_value(items + len, load_value(SLOT_PTR(_JIT_VAL)));
    *(int64_t *)((char *)items + LIST_BUF_USED_OFFSET) = len + 1;
    *(int64_t *)(p + LIST_LEN_OFFSET) = len + 1;
    COPY_SLOT(_JIT_DST, _JIT_LIST);
    CONTINUE();
}
