// IsStruct: a match tag test; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
