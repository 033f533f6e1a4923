// LoadFalse.
#include "mochi.h"

STENCIL {
    SET_BOOL(_JIT_DST, 0);
    CONTINUE();
}
