// SetFieldDyn: field store by name; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
