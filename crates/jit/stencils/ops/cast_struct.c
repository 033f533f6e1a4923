// CastStruct: a cast to a struct type; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
