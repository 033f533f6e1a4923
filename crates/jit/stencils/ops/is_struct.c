// IsStruct: a match tag test; always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
