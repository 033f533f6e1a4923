// ret a: back to the entry shim's caller with a's value
#include "regs.h"

STENCIL { return REG(_JIT_A); }
