// Append: append (a new list); always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
