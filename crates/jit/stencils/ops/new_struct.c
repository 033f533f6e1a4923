// NewStruct: a struct literal; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
