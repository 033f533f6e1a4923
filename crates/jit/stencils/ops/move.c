// Move: dst = src. The `kd` variant copies the payload alone: both slots are known to hold
// values of one kind, so the tag word already matches. `qs`: src is a float an earlier op
// left in f1 (see mochi.h, "Variants").
// cnp-variants: kd qs qs+kd
#include "mochi.h"

STENCIL {
#if defined(CNP_VARIANT_QS)
    STORE_FLT(_JIT_DST, FLOAT_SRC());
#elif defined(CNP_VARIANT_KD)
    BITS(_JIT_DST) = BITS(_JIT_SRC);
#else
    COPY_SLOT(_JIT_DST, _JIT_SRC);
#endif
    CONTINUE();
}
