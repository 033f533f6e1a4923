// CallBuiltin: a built-in call; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
