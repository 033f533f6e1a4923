// A direct call to a helper: out of rel32/branch26 range at run time, so the code buffer
// adds a veneer.
#include "stencil.h"

extern int64_t _JIT_HELPER_mul(int64_t a, int64_t b);

STENCIL {
    SLOT(_JIT_SLOT_D) = _JIT_HELPER_mul(SLOT(_JIT_SLOT_A), SLOT(_JIT_SLOT_B));
    CONTINUE();
}
