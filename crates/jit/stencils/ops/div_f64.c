// DivF64: division by zero is a runtime error (the slow path reports it).
// cnp-variants: ra rb rd ra+rd rb+rd
#include "mochi.h"

STENCIL {
    WHEN_FLOATS_AB({
        // b == ±0.0 tested on the bits: a float compare is two branches (`jne`/`jnp`) that
        // x86_64 routes through a shared block after the continuation, which then cannot be
        // elided.
        if (UNLIKELY((FLOAT_BITS_B() << 1) == 0))
            SLOW();
        FLOAT_RESULT(_JIT_DST, FLOAT_A() / FLOAT_B());
    });
}
