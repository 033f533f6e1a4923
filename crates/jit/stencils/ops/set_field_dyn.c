// SetFieldDyn: field store by name; always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
