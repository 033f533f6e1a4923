// Eq on any values (see EQUALITY in mochi.h).
#include "mochi.h"

STENCIL {
    EQUALITY(_JIT_DST, _JIT_A, _JIT_B, 0);
}
