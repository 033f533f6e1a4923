// LoadInt: a 32-bit immediate int.
// cnp-variants: kd
#include "mochi.h"

STENCIL {
    STORE_INT(_JIT_DST, IMM32(_JIT_IMM));
    CONTINUE();
}
