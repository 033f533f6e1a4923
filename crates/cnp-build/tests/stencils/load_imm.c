#include "stencil.h"

STENCIL {
    SLOT(_JIT_SLOT_D) = OPERAND0;
    CONTINUE();
}
