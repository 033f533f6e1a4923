// The cold stub of a conditional branch whose fast path did not apply: the helper decides
// (0 fall through, 2 taken, 1 error).
#include "mochi.h"

STENCIL {
    uint64_t r = _JIT_HELPER_op(ctx, frame, HOLE64(_JIT_LOC));
    // (hinted likely only to put the continuation last; this is the cold path)
    if (__builtin_expect(r == 1, 1))
        FAIL();
    if (r == 2)
        JUMP_AFTER_CALL();
    CONTINUE_AFTER_CALL();
}
