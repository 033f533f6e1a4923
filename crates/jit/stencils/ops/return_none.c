// ReturnNone.
#include "mochi.h"

STENCIL {
    store_parts(frame - 1, 0, TAG_NONE);
    ctx->depth--;
    Cont k = (Cont)(uintptr_t)frame[-2].bits;
    __attribute__((musttail)) return k(frame, ctx, NO_I0, NO_F0, NO_F1);
}
