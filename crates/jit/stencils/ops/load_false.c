// LoadFalse: dst = a constant Value (the JIT patches its bits into _JIT_K).
#include "mochi.h"

STENCIL {
    SLOT(_JIT_DST) = HOLE64(_JIT_K);
    CONTINUE();
}
