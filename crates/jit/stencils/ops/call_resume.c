// Where a call returns: frame is the callee's, which starts _JIT_BASE bytes into the caller's
// frame (_JIT_BASE_BACK is minus that: one `lea` back); the callee left its result in
// frame[-1].
#include "mochi.h"

STENCIL {
    Value r = load_value(frame - 1);
    frame = (Value *)((char *)frame + (uintptr_t)_JIT_BASE_BACK);
    // The caller's frame in a register: without this clang folds _JIT_BASE_BACK into the
    // store's address as a zero-extended 32-bit immediate, which a negative value breaks.
    __asm__("" : "+r"(frame));
    store_value(SLOT_PTR(_JIT_DST), r);
    CONTINUE();
}
