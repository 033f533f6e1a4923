// mul d a b (wrapping)
#include "regs.h"

STENCIL {
    REG(_JIT_D) = (int64_t)((uint64_t)REG(_JIT_A) * (uint64_t)REG(_JIT_B));
    CONTINUE();
}
