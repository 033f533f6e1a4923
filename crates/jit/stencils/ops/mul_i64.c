// MulI64: overflow past 64 bits goes to the slow path (a big int).
// cnp-variants: kd rd+nd? rd+kd+nd? kb kb+kd kb+rd+nd? kb+rd+kd+nd? rb rb+kd rb+rd+nd? rb+rd+kd+nd? ka ka+kd ka+rd+nd? ka+rd+kd+nd? ka+kb ka+kb+kd ka+kb+rd+nd? ka+kb+rd+kd+nd? ka+rb ka+rb+kd ka+rb+rd+nd? ka+rb+rd+kd+nd? ra ra+kd ra+rd+nd? ra+rd+kd+nd? ra+kb ra+kb+kd ra+kb+rd+nd? ra+kb+rd+kd+nd?
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        int64_t r;
        LAST_CHECK(CHECKS_NONE_AB, !__builtin_mul_overflow(INT_A(), INT_B(), &r), {
            INT_RESULT(_JIT_DST, r);
        });
    });
}
