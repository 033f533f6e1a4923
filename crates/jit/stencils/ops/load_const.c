// LoadConst: a constant value, its payload patched into _JIT_K and its tag into _JIT_KTAG.
// The `rd` variant, which the stitcher picks only for a float constant, also passes it on
// in f0; `kd` leaves the tag alone (the slot already holds a value of the constant's kind),
// `nd` the payload (no op reads the slot before it is written again: mochi.h, STORE_FLT).
// cnp-variants: rd+nd? kd rd+kd+nd?
#include "mochi.h"

STENCIL {
#ifndef CNP_VARIANT_ND
    BITS(_JIT_DST) = HOLE64(_JIT_K);
#endif
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
