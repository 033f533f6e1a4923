// ReturnNone.
#include "mochi.h"

STENCIL {
    frame[-1] = V_NONE;
    ctx->depth--;
    Cont k = (Cont)(uintptr_t)frame[-2];
    __attribute__((musttail)) return k(frame, ctx);
}
