// LeF64: bool result (false with NaN).
// cnp-variants: kb rb ka ka+kb ka+rb ra ra+kb
#include "mochi.h"

STENCIL {
    WHEN_FLOATS_AB({
        SET_BOOL(_JIT_DST, FLOAT_A() <= FLOAT_B());
        CONTINUE();
    });
}
