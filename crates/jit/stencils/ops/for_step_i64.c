// ForStepI64: the back edge of `for i in a..b`.
#include "mochi.h"

KEEP_CONTINUATION();

STENCIL {
    Value c = SLOT(_JIT_COUNTER), e = SLOT(_JIT_END);
    if (UNLIKELY(!both_int(c, e)))
        SLOW_BRANCH();
    int64_t n = int_of(c) + 1;  // c < e <= SMALL_INT_MAX: cannot overflow
    SLOT(_JIT_COUNTER) = make_int(n);
    if (n < int_of(e))
        JUMP();
    CONTINUE();
}
