// MulI64: overflow past 64 bits goes to the slow path (a big int).
// cnp-variants: kd kb kb+kd ka ka+kd ka+kb ka+kb+kd
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        int64_t r;
        LAST_CHECK(CHECKS_NONE_AB, !__builtin_mul_overflow(INT_A(), INT_B(), &r), {
            STORE_INT(_JIT_DST, r);
            CONTINUE();
        });
    });
}
