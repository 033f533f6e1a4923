// StoreGlobal: _JIT_G is the address of the global's value.
#include "mochi.h"

STENCIL {
    store_value((Value *)HOLE64(_JIT_G), load_value(SLOT_PTR(_JIT_SRC)));
    CONTINUE();
}
