// Eq on any values: equal words of non-float values, or two unequal non-heap values, are
// answered inline (what ops.rs `equals` does first); floats (int/float mixing, NaN) and
// distinct heap objects (strings, lists, maps, structs compare by content) take the slow path.
#include "mochi.h"

STENCIL {
    uint64_t ta = TAG(_JIT_A), tb = TAG(_JIT_B);
    int same = ta == tb && BITS(_JIT_A) == BITS(_JIT_B);
    int no_float = (ta != TAG_FLOAT) & (tb != TAG_FLOAT);
    int no_heap = (ta < TAG_OBJ_MIN) & (tb < TAG_OBJ_MIN);
    // The fast path as the `if` body, one slow exit: x86_64 then keeps no continuation jump.
    if (LIKELY(no_float & (same | no_heap))) {
        SET_BOOL(_JIT_DST, same);
        CONTINUE();
    }
    SLOW();
}
