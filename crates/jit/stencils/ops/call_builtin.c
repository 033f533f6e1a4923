// CallBuiltin: a built-in call; always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
