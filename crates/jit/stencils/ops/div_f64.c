// DivF64: division by zero is a runtime error (the slow path reports it).
// cnp-variants: kd rd rd+kd kb kb+kd kb+rd kb+rd+kd rb rb+kd rb+rd rb+rd+kd ka ka+kd ka+rd ka+rd+kd ka+kb ka+kb+kd ka+kb+rd ka+kb+rd+kd ka+rb ka+rb+kd ka+rb+rd ka+rb+rd+kd ra ra+kd ra+rd ra+rd+kd ra+kb ra+kb+kd ra+kb+rd ra+kb+rd+kd qa qa+rd qa+kd qa+rd+kd qa+rb qa+rb+rd qa+rb+kd qa+rb+rd+kd qa+kb qa+kb+rd qa+kb+kd qa+kb+rd+kd qb qb+rd qb+kd qb+rd+kd ra+qb ra+qb+rd ra+qb+kd ra+qb+rd+kd ka+qb ka+qb+rd ka+qb+kd ka+qb+rd+kd qd qd+kd ka+qd ka+qd+kd kb+qd kb+qd+kd ka+kb+qd ka+kb+qd+kd ra+qd ra+qd+kd rb+qd rb+qd+kd ra+kb+qd ra+kb+qd+kd ka+rb+qd ka+rb+qd+kd
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
