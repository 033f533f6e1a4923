// Return: the result goes to frame[-1]; jump to the continuation the caller left in frame[-2].
#include "mochi.h"

STENCIL {
    store_value(frame - 1, load_value(SLOT_PTR(_JIT_SRC)));
    ctx->depth--;
    Cont k = (Cont)(uintptr_t)frame[-2].bits;
    __attribute__((musttail)) return k(frame, ctx, NO_I0, NO_F0, NO_F1);
}
