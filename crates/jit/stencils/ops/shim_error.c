// The shared error exit: a helper has recorded the error in ctx; leave with status 1.
#include "mochi.h"

STENCIL { return 1; }
