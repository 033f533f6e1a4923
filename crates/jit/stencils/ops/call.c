// Call: continuation style. The callee frame starts at the window; its header gets the resume address; the native stack does not grow.
#include "mochi.h"

STENCIL {
    Value *callee = (Value *)((char *)frame + (uintptr_t)_JIT_BASE);
    char *top = (char *)frame + (uintptr_t)_JIT_CALL_TOP;
    if (UNLIKELY(ctx->depth >= ctx->max_depth || top >= ctx->stack_end)) {
        _JIT_HELPER_overflow(ctx, HOLE64(_JIT_LOC));
        FAIL();
    }
    ctx->depth++;
    if (top > ctx->high_water)
        ctx->high_water = top;
    store_parts(callee - 2, HOLE64(_JIT_RESUME), TAG_RAW);
    store_parts(callee - 1, 0, TAG_NONE);
    __attribute__((musttail)) return _JIT_TARGET(callee, ctx, NO_I0, NO_F0, NO_F1);
}
