// DivF64: division by zero is a runtime error (the slow path reports it).
// cnp-variants: kd rd+nd? rd+kd+nd? kb kb+kd kb+rd+nd? kb+rd+kd+nd? rb rb+kd rb+rd+nd? rb+rd+kd+nd? ka ka+kd ka+rd+nd? ka+rd+kd+nd? ka+kb ka+kb+kd ka+kb+rd+nd? ka+kb+rd+kd+nd? ka+rb ka+rb+kd ka+rb+rd+nd? ka+rb+rd+kd+nd? ra ra+kd ra+rd+nd? ra+rd+kd+nd? ra+kb ra+kb+kd ra+kb+rd+nd? ra+kb+rd+kd+nd? qa qa+rd+nd? qa+kd qa+rd+kd+nd? qa+rb qa+rb+rd+nd? qa+rb+kd qa+rb+rd+kd+nd? qa+kb qa+kb+rd+nd? qa+kb+kd qa+kb+rd+kd+nd? qb qb+rd+nd? qb+kd qb+rd+kd+nd? ra+qb ra+qb+rd+nd? ra+qb+kd ra+qb+rd+kd+nd? ka+qb ka+qb+rd+nd? ka+qb+kd ka+qb+rd+kd+nd? qd+nd? qd+kd+nd? ka+qd+nd? ka+qd+kd+nd? kb+qd+nd? kb+qd+kd+nd? ka+kb+qd+nd? ka+kb+qd+kd+nd? ra+qd+nd? ra+qd+kd+nd? rb+qd+nd? rb+qd+kd+nd? ra+kb+qd+nd? ra+kb+qd+kd+nd? ka+rb+qd+nd? ka+rb+qd+kd+nd?
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
