// IntersectList: a list set operation; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
