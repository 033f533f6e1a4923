// DivF64: division by zero is a runtime error (the slow path reports it).
// cnp-variants: kb rb ka ka+kb ka+rb ra ra+kb rd kb+rd rb+rd ka+rd ka+kb+rd ka+rb+rd ra+rd ra+kb+rd
#include "mochi.h"

STENCIL {
    WHEN_FLOATS_AB({
        // b == ±0.0 tested on the bits: a float compare is two branches (`jne`/`jnp`) that
        // x86_64 routes through a shared block after the continuation, which then cannot be
        // elided.
        LAST_CHECK(CHECKS_NONE_AB, (FLOAT_BITS_B() << 1) != 0,
                   FLOAT_RESULT(_JIT_DST, FLOAT_A() / FLOAT_B()));
    });
}
