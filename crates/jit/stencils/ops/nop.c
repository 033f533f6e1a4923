// Nop: nothing.
#include "mochi.h"

STENCIL {
    CONTINUE();
}
