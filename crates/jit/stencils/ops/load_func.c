// LoadFunc: the function value (a closure object preallocated at load), patched in.
#include "mochi.h"

STENCIL {
    BITS(_JIT_DST) = HOLE64(_JIT_K);
    TAG(_JIT_DST) = OBJ_KIND_CLOSURE;
    CONTINUE();
}
