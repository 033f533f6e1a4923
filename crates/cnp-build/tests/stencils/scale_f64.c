// Floating-point constants that no instruction can encode land in .rodata.cst8 (on x86_64):
// shipped as the stencil's data blob.
#include "stencil.h"

STENCIL {
    double x = (double)SLOT(_JIT_SLOT_A);
    SLOT(_JIT_SLOT_D) = (int64_t)(x * 2.1 + 0.3);
    CONTINUE();
}
