// Mul: dynamic *; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
