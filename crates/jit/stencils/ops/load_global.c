// LoadGlobal: _JIT_G is the address of the global's slot.
#include "mochi.h"

STENCIL {
    SLOT(_JIT_DST) = *(Value *)_JIT_G;
    CONTINUE();
}
