// AddI64: small ints shifted left 16 make the CPU overflow flag the 48-bit overflow test.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    int64_t r;
    if (UNLIKELY(!both_int(a, b)))
        SLOW();
    if (UNLIKELY(__builtin_add_overflow(shifted(a), shifted(b), &r)))
        SLOW();
    SLOT(_JIT_DST) = from_shifted(r);
    CONTINUE();
}
