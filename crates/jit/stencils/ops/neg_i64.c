// NegI64: -i64::MIN leaves 64 bits (the slow path makes a big int).
// cnp-variants: kd rd+nd? rd+kd+nd? ks ks+kd ks+rd+nd? ks+rd+kd+nd? rs rs+kd rs+rd+nd? rs+rd+kd+nd?
#include "mochi.h"

STENCIL {
    WHEN_ONE(INT, SRC, {
        int64_t r;
        LAST_CHECK(!CHECKS_SRC, !__builtin_sub_overflow((int64_t)0, INT_SRC(), &r), {
            INT_RESULT(_JIT_DST, r);
        });
    });
}
