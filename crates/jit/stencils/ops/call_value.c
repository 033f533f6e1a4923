// CallValue: the helper resolves closures and partial applications and counts the depth.
#include "mochi.h"

STENCIL {
    Value *callee = (Value *)((char *)frame + (uintptr_t)_JIT_BASE);
    uint64_t entry = _JIT_HELPER_call_value(ctx, frame, HOLE64(_JIT_LOC));
    if (UNLIKELY(entry == 1))
        FAIL();
    if (__builtin_expect(entry > 1, 1)) {
        store_parts(callee - 2, HOLE64(_JIT_RESUME), TAG_RAW);
        __attribute__((musttail)) return ((Cont)entry)(callee, ctx, NO_I0, NO_F0, NO_F1);
    }
    // Completed synchronously (the result is in callee[-1]): resume as after a return.
    __attribute__((musttail)) return _JIT_CONTINUE(callee, ctx, NO_I0, NO_F0, NO_F1);
}
