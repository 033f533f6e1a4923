// IndexMapOrZero: a typed map read; always the shared Rust helper (an inline map lookup waits
// for the new map layout).
#include "mochi.h"

STENCIL {
    GENERIC();
}
