// LeI64JumpIfFalse: fused compare and branch.
// cnp-variants: ka kb ka+kb
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        if (!(INT_A() <= INT_B()))
            JUMP();
        CONTINUE();
    });
}
