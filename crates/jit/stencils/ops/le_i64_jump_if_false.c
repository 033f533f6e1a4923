// LeI64JumpIfFalse: fused compare and branch.
// cnp-variants: kb rb ka ka+kb ka+rb ra ra+kb
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        if (!(INT_A() <= INT_B()))
            JUMP();
        CONTINUE();
    });
}
