// MulI64: (a << 16) * b overflows exactly when a * b leaves 48 bits.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    int64_t r;
    if (UNLIKELY(!both_int(a, b)))
        SLOW();
    if (UNLIKELY(__builtin_mul_overflow(shifted(a), int_of(b), &r)))
        SLOW();
    SLOT(_JIT_DST) = from_shifted(r);
    CONTINUE();
}
