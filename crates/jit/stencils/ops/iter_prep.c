// IterPrep: the sequence of a for-in loop; always the shared Rust slow path.
#include "mochi.h"

STENCIL {
    SLOW();
}
