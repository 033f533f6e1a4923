// Returns slot A to the entry shim.
#include "stencil.h"

STENCIL { return SLOT(_JIT_SLOT_A); }
