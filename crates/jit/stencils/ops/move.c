// Move: dst = src.
#include "mochi.h"

STENCIL {
    SLOT(_JIT_DST) = SLOT(_JIT_SRC);
    CONTINUE();
}
