#include "stencil.h"

STENCIL { JUMP_TARGET(); }
