// MulI64: overflow past 64 bits goes to the slow path (a big int).
// cnp-variants: kd rd rd+kd kb kb+kd kb+rd kb+rd+kd rb rb+kd rb+rd rb+rd+kd ka ka+kd ka+rd ka+rd+kd ka+kb ka+kb+kd ka+kb+rd ka+kb+rd+kd ka+rb ka+rb+kd ka+rb+rd ka+rb+rd+kd ra ra+kd ra+rd ra+rd+kd ra+kb ra+kb+kd ra+kb+rd ra+kb+rd+kd
#include "mochi.h"

STENCIL {
    WHEN_INTS_AB({
        int64_t r;
        LAST_CHECK(CHECKS_NONE_AB, !__builtin_mul_overflow(INT_A(), INT_B(), &r), {
            INT_RESULT(_JIT_DST, r);
        });
    });
}
