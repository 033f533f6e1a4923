// set d imm
#include "regs.h"

STENCIL {
    REG(_JIT_D) = IMM;
    CONTINUE();
}
