// MulI64Imm: int * 32-bit immediate; overflow goes to the slow path.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_INT))
        SLOW();
    int64_t r;
    if (UNLIKELY(__builtin_mul_overflow(INT(_JIT_A), IMM32(_JIT_IMM), &r)))
        SLOW();
    SET_INT(_JIT_DST, r);
    CONTINUE();
}
