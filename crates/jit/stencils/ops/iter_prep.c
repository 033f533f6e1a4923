// IterPrep: the sequence of a for-in loop; always the shared Rust helper.
#include "mochi.h"

STENCIL {
    GENERIC();
}
