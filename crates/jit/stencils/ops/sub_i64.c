// SubI64: overflow past 64 bits goes to the slow path (a big int).
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_INT))
        SLOW();
    if (UNLIKELY(TAG(_JIT_B) != TAG_INT))
        SLOW();
    int64_t r;
    if (UNLIKELY(__builtin_sub_overflow(INT(_JIT_A), INT(_JIT_B), &r)))
        SLOW();
    SET_INT(_JIT_DST, r);
    CONTINUE();
}
