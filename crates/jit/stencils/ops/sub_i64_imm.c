// SubI64Imm: int - 32-bit immediate; overflow goes to the slow path.
// cnp-variants: ka
#include "mochi.h"

STENCIL {
    WHEN_ONE(INT, A, {
        int64_t r;
        LAST_CHECK(!CHECKS_A, !__builtin_sub_overflow(INT_A(), IMM32(_JIT_IMM), &r), {
            SET_INT(_JIT_DST, r);
            CONTINUE();
        });
    });
}
