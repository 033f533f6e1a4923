// Tier-up counting, at a function's entry and at each loop header when a higher tier is
// attached: one decrement of the function's budget; at zero the helper may run the rest of
// the function in the optimizing tier, and then this frame returns as `Return` would.
#include "mochi.h"

STENCIL {
    uint32_t *budget = (uint32_t *)HOLE64(_JIT_BUDGET);
    if (UNLIKELY(--*budget == 0)) {
        uint64_t r = _JIT_HELPER_tier_up(ctx, frame, HOLE64(_JIT_LOC));
        if (r == 1)
            FAIL();
        if (r == 2) {
            ctx->depth--;
            Cont k = (Cont)(uintptr_t)frame[-2].bits;
            __attribute__((musttail)) return k(frame, ctx, NO_I0, NO_F0, NO_F1);
        }
    }
    CONTINUE_AFTER_CALL();
}
