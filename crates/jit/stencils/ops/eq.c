// Eq: structural ==; always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
