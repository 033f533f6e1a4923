// In: an int key inside a map's array part is present unless its entry is a hole; hashed
// keys, lists and strings take the slow path.
#include "mochi.h"

STENCIL {
    Value *e;
    if (LIKELY(map_array_entry(SLOT_PTR(_JIT_COLL), SLOT_PTR(_JIT_X), &e))) {
        SET_BOOL(_JIT_DST, e->tag != MAP_HOLE_TAG);
        CONTINUE();
    }
    SLOW();
}
