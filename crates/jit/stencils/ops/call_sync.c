// A direct call of a function without stitched code: the helper runs it in the interpreter
// and leaves the result in the window's header slot, then we resume as after a return.
#include "mochi.h"

STENCIL {
    Value *callee = (Value *)((char *)frame + (uintptr_t)_JIT_BASE);
    // (hinted likely only to put the continuation last; see SLOW_BRANCH)
    if (__builtin_expect(_JIT_HELPER_call_sync(ctx, frame, HOLE64(_JIT_LOC)) != 0, 1))
        FAIL();
    __attribute__((musttail)) return _JIT_CONTINUE(callee, ctx, NO_I0, NO_F0, NO_F1);
}
