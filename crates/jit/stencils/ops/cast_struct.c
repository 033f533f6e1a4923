// CastStruct: a cast to a struct type; always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
