// Move: dst = src. The `kd` variant copies the payload alone: both slots are known to hold
// values of one kind, so the tag word already matches.
// cnp-variants: kd
#include "mochi.h"

STENCIL {
#ifdef CNP_VARIANT_KD
    BITS(_JIT_DST) = BITS(_JIT_SRC);
#else
    COPY_SLOT(_JIT_DST, _JIT_SRC);
#endif
    CONTINUE();
}
