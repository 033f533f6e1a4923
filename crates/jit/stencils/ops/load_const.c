// LoadConst: a constant value, its payload patched into _JIT_K and its tag into _JIT_KTAG.
// The `rd` variant, which the stitcher picks only for a float constant, also passes it on
// in f0.
// cnp-variants: rd
#include "mochi.h"

STENCIL {
    BITS(_JIT_DST) = HOLE64(_JIT_K);
    TAG(_JIT_DST) = (uintptr_t)_JIT_KTAG;
#ifdef CNP_VARIANT_RD
    __attribute__((musttail)) return _JIT_CONTINUE(frame, ctx, f64_of_bits(HOLE64(_JIT_K)));
#else
    CONTINUE();
#endif
}
