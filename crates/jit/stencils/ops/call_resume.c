// Where a call returns: frame is the callee's, which starts _JIT_BASE bytes into the caller's
// frame; the callee left its result in frame[-1].
#include "mochi.h"

STENCIL {
    Value r = load_value(frame - 1);
    frame = (Value *)((char *)frame - (uintptr_t)_JIT_BASE);
    store_value(SLOT_PTR(_JIT_DST), r);
    CONTINUE();
}
