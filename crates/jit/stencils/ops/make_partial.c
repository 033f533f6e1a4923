// MakePartial: a partial application; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
