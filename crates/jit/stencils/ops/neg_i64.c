// NegI64: -i64::MIN leaves 64 bits (the slow path makes a big int).
// cnp-variants: kd rd rd+kd ks ks+kd ks+rd ks+rd+kd rs rs+kd rs+rd rs+rd+kd
#include "mochi.h"

STENCIL {
    WHEN_ONE(INT, SRC, {
        int64_t r;
        LAST_CHECK(!CHECKS_SRC, !__builtin_sub_overflow((int64_t)0, INT_SRC(), &r), {
            INT_RESULT(_JIT_DST, r);
        });
    });
}
