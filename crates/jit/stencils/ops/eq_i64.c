// EqI64: bool result.
// cnp-variants: ka kb ka+kb
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        SET_BOOL(_JIT_DST, INT_A() == INT_B());
        CONTINUE();
    });
}
