// Normal-ABI entry shim: saves callee-saved registers and enters the preserve_none chain.
#include "stencil.h"

int64_t _JIT_ENTRY(int64_t *frame) { return _JIT_CONTINUE(frame); }
