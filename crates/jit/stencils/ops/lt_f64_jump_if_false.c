// LtF64JumpIfFalse: NaN compares false, so it jumps.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value a = SLOT(_JIT_A), b = SLOT(_JIT_B);
    if (UNLIKELY(!is_float(a)))
        SLOW();
    if (UNLIKELY(!is_float(b)))
        SLOW();
    if (!(float_of(a) < float_of(b)))
        JUMP();
    CONTINUE();
}
