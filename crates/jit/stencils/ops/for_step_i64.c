// ForStepI64: the back edge of `for i in a..b`. `kc` / `ke`: the counter / the end is known
// to be an int (in a loop, from its entry check).
// cnp-variants: kc ke kc+ke
#include "mochi.h"

#ifdef CNP_VARIANT_KC
#define CHECKS_COUNTER 0
#else
#define CHECKS_COUNTER 1
#endif
#ifdef CNP_VARIANT_KE
#define CHECKS_END 0
#else
#define CHECKS_END 1
#endif

STENCIL {
    if (CHECKS_COUNTER && UNLIKELY(TAG(_JIT_COUNTER) != TAG_INT))
        SLOW_BRANCH();
    if (CHECKS_END && UNLIKELY(TAG(_JIT_END) != TAG_INT))
        SLOW_BRANCH();
    int64_t n = INT(_JIT_COUNTER) + 1;  // the loop ran with counter < end: no overflow
    INT(_JIT_COUNTER) = n;
    if (n < INT(_JIT_END))
        JUMP();
    CONTINUE();
}
