// IndexMapOrZero: a present int key of the map's array part is read inline; absent keys
// (the zero value), hashed keys and other collections take the slow path.
#include "mochi.h"

STENCIL {
    Value *e;
    if (LIKELY(map_array_entry(SLOT_PTR(_JIT_OBJ), SLOT_PTR(_JIT_IDX), &e))) {
        Value v = load_value(e);
        if (LIKELY(v.tag != MAP_HOLE_TAG)) {
            store_value(SLOT_PTR(_JIT_DST), v);
            CONTINUE();
        }
    }
    SLOW();
}
