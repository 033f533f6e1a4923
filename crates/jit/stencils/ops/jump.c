// Jump.
#include "mochi.h"

STENCIL {
    JUMP();
}
