// LoadUpvalCell: a captured cell; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
