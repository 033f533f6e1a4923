// LtI64ImmJumpIfFalse: fused compare with an immediate and branch.
// cnp-variants: ka ra
#include "mochi.h"

STENCIL {
    WHEN_ONE(INT, A, {
        if (!(INT_A() < IMM32(_JIT_IMM)))
            JUMP();
        CONTINUE();
    });
}
