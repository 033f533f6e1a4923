// LoadInt: a 32-bit immediate int.
#include "mochi.h"

STENCIL {
    SET_INT(_JIT_DST, IMM32(_JIT_IMM));
    CONTINUE();
}
