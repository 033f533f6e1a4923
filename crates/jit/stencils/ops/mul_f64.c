// MulF64: both operands floats, else the slow path.
// cnp-variants: ra rb rd ra+rd rb+rd
#include "mochi.h"

STENCIL { WHEN_FLOATS_AB(FLOAT_RESULT(_JIT_DST, FLOAT_A() * FLOAT_B())); }
