// NegI64: -i64::MIN leaves 64 bits (the slow path makes a big int).
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_SRC) != TAG_INT))
        SLOW();
    int64_t r;
    if (UNLIKELY(__builtin_sub_overflow((int64_t)0, INT(_JIT_SRC), &r)))
        SLOW();
    SET_INT(_JIT_DST, r);
    CONTINUE();
}
