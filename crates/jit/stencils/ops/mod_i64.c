// ModI64: remainder with the sign of the dividend; zero and -1 divisors take the slow path.
// cnp-variants: kd kb kb+kd ka ka+kd ka+kb ka+kb+kd
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        int64_t a = INT_A(), b = INT_B();
        if (UNLIKELY(b == 0))
            SLOW();
        if (UNLIKELY(b == -1))
            SLOW();  // i64::MIN % -1 traps in hardware
        STORE_INT(_JIT_DST, a % b);
        CONTINUE();
    });
}
