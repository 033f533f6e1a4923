// LoadGlobal: _JIT_G is the address of the global's value.
#include "mochi.h"

STENCIL {
    store_value(SLOT_PTR(_JIT_DST), load_value((Value *)HOLE64(_JIT_G)));
    CONTINUE();
}
