// GetFieldDyn: field by name; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
