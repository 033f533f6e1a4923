// The entry shim (normal C ABI, emitted once per code blob): Rust calls it with the frame,
// the context and the first stencil to run. Calling a preserve_none function makes clang
// save every callee-saved register here; a stencil that `return`s comes back here.
#include "mochi.h"

int64_t _JIT_ENTRY(Value *frame, JitCtx *ctx, Cont target) { return target(frame, ctx, NO_I0, NO_F0, NO_F1); }
