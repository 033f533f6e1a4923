// MulI64Imm: int * 32-bit immediate; overflow goes to the slow path.
// cnp-variants: kd ka ka+kd
#include "mochi.h"

STENCIL {
    WHEN_ONE(INT, A, {
        int64_t r;
        LAST_CHECK(!CHECKS_A, !__builtin_mul_overflow(INT_A(), IMM32(_JIT_IMM), &r), {
            STORE_INT(_JIT_DST, r);
            CONTINUE();
        });
    });
}
