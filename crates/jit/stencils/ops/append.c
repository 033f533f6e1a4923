// Append: append (a new list); always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
