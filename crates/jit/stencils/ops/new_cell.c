// NewCell: a cell (allocates); always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
