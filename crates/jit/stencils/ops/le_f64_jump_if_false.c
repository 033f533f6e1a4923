// LeF64JumpIfFalse: NaN compares false, so it jumps.
// cnp-variants: kb rb ka ka+kb ka+rb ra ra+kb
#include "mochi.h"

STENCIL {
    if (UNLIKELY(!IS_FLOAT_A()))
        SLOW_BRANCH();
    if (UNLIKELY(!IS_FLOAT_B()))
        SLOW_BRANCH();
    if (!(FLOAT_A() <= FLOAT_B()))
        JUMP();
    CONTINUE();
}
