// AddI64Imm: a 48-bit int + a 32-bit immediate cannot overflow 64 bits.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A);
    if (UNLIKELY(!is_int(a)))
        SLOW();
    int64_t r = int_of(a) + IMM32(_JIT_IMM);
    if (UNLIKELY(!fits_small(r)))
        SLOW();
    SLOT(_JIT_DST) = make_int(r);
    CONTINUE();
}
