// The cold stub of an op whose fast path did not apply: run the op in Rust, then continue
// after the op (the lowering points _JIT_CONTINUE back there).
#include "mochi.h"

STENCIL {
    // (hinted likely only to put the continuation last; this is the cold path)
    if (__builtin_expect(_JIT_HELPER_op(ctx, frame, HOLE64(_JIT_LOC)) != 0, 1))
        FAIL();
    CONTINUE_AFTER_CALL();
}
