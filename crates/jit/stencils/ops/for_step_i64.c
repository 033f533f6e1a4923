// ForStepI64: the back edge of `for i in a..b`.
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_COUNTER) != TAG_INT))
        SLOW_BRANCH();
    if (UNLIKELY(TAG(_JIT_END) != TAG_INT))
        SLOW_BRANCH();
    int64_t n = INT(_JIT_COUNTER) + 1;  // the loop ran with counter < end: no overflow
    INT(_JIT_COUNTER) = n;
    if (n < INT(_JIT_END))
        JUMP();
    CONTINUE();
}
