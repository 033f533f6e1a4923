// LoadTrue.
#include "mochi.h"

STENCIL {
    SET_BOOL(_JIT_DST, 1);
    CONTINUE();
}
