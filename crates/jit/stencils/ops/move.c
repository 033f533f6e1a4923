// Move: dst = src.
#include "mochi.h"

STENCIL {
    COPY_SLOT(_JIT_DST, _JIT_SRC);
    CONTINUE();
}
