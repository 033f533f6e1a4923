// Return: the result goes to frame[-1]; jump to the continuation the caller left in frame[-2].
#include "mochi.h"

STENCIL {
    Value v = SLOT(_JIT_SRC);
    frame[-1] = v;
    ctx->depth--;
    Cont k = (Cont)(uintptr_t)frame[-2];
    __attribute__((musttail)) return k(frame, ctx);
}
