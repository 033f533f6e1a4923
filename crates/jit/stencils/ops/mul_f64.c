// MulF64: both operands floats, else the slow path.
// cnp-variants: kd rd rd+kd kb kb+kd kb+rd kb+rd+kd rb rb+kd rb+rd rb+rd+kd ka ka+kd ka+rd ka+rd+kd ka+kb ka+kb+kd ka+kb+rd ka+kb+rd+kd ka+rb ka+rb+kd ka+rb+rd ka+rb+rd+kd ra ra+kd ra+rd ra+rd+kd ra+kb ra+kb+kd ra+kb+rd ra+kb+rd+kd
#include "mochi.h"

STENCIL { WHEN_FLOATS_AB(FLOAT_RESULT(_JIT_DST, FLOAT_A() * FLOAT_B())); }
