// LoadConst: a constant value, its payload patched into _JIT_K and its tag into _JIT_KTAG.
#include "mochi.h"

STENCIL {
    BITS(_JIT_DST) = HOLE64(_JIT_K);
    TAG(_JIT_DST) = (uintptr_t)_JIT_KTAG;
    CONTINUE();
}
