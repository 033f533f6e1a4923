// StoreGlobal.
#include "mochi.h"

STENCIL {
    *(Value *)_JIT_G = SLOT(_JIT_SRC);
    CONTINUE();
}
