// LoadConst: a constant value, its payload patched into _JIT_K and its tag into _JIT_KTAG.
// The `rd` variant, which the stitcher picks only for a float constant, also passes it on
// in f0; `kd` leaves the tag alone (the slot already holds a value of the constant's kind).
// cnp-variants: rd kd rd+kd
#include "mochi.h"

STENCIL {
    BITS(_JIT_DST) = HOLE64(_JIT_K);
#ifndef CNP_VARIANT_KD
    TAG(_JIT_DST) = (uintptr_t)_JIT_KTAG;
#endif
#ifdef CNP_VARIANT_RD
    __attribute__((musttail)) return _JIT_CONTINUE(frame, ctx, (int64_t)HOLE64(_JIT_K),
                                                   f64_of_bits(HOLE64(_JIT_K)), f1);
#else
    CONTINUE();
#endif
}
