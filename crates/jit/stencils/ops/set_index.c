// SetIndex: dynamic index store; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
