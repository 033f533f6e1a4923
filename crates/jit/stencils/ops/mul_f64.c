// MulF64: both operands floats, else the slow path.
// cnp-variants: kb rb ka ka+kb ka+rb ra ra+kb rd kb+rd rb+rd ka+rd ka+kb+rd ka+rb+rd ra+rd ra+kb+rd
#include "mochi.h"

STENCIL { WHEN_FLOATS_AB(FLOAT_RESULT(_JIT_DST, FLOAT_A() * FLOAT_B())); }
