// LeI64: bool result.
// cnp-variants: kb rb ka ka+kb ka+rb ra ra+kb
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        SET_BOOL(_JIT_DST, INT_A() <= INT_B());
        CONTINUE();
    });
}
