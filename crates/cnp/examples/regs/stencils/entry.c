// Normal-ABI entry from Rust: saves the callee-saved registers the chain may clobber.
#include "regs.h"

int64_t _JIT_ENTRY(int64_t *frame) { return _JIT_CONTINUE(frame); }
