// DivF64: division by zero is a runtime error (the slow path reports it).
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_A) != TAG_FLOAT))
        SLOW();
    if (UNLIKELY(TAG(_JIT_B) != TAG_FLOAT))
        SLOW();
    // b == ±0.0 tested on the bits: a float compare is two branches (`jne`/`jnp`) that x86_64
    // routes through a shared block after the continuation, which then cannot be elided.
    if (UNLIKELY((BITS(_JIT_B) << 1) == 0))
        SLOW();
    SET_FLT(_JIT_DST, FLT(_JIT_A) / FLT(_JIT_B));
    CONTINUE();
}
