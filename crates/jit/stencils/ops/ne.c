// Ne on any values: equal words of non-float values, or two unequal non-heap values, are
// answered inline (what ops.rs `equals` does first); floats (int/float mixing, NaN) and
// distinct heap objects (strings, lists, maps, structs compare by content) take the slow path.
#include "mochi.h"

STENCIL {
    uint64_t ta = TAG(_JIT_A), tb = TAG(_JIT_B);
    if (UNLIKELY(ta == TAG_FLOAT || tb == TAG_FLOAT))
        SLOW();
    if (ta == tb && BITS(_JIT_A) == BITS(_JIT_B)) {
        SET_BOOL(_JIT_DST, 0);
        CONTINUE();
    }
    if (UNLIKELY(ta >= TAG_OBJ_MIN || tb >= TAG_OBJ_MIN))
        SLOW();
    SET_BOOL(_JIT_DST, 1);
    CONTINUE();
}
