// LoadNone.
#include "mochi.h"

STENCIL {
    store_parts(SLOT_PTR(_JIT_DST), 0, TAG_NONE);
    CONTINUE();
}
