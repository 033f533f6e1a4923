// SubI64Imm: int - 32-bit immediate; overflow goes to the slow path.
// cnp-variants: kd rd+nd? rd+kd+nd? ka ka+kd ka+rd+nd? ka+rd+kd+nd? ra ra+kd ra+rd+nd? ra+rd+kd+nd?
#include "mochi.h"

STENCIL {
    WHEN_ONE(INT, A, {
        int64_t r;
        LAST_CHECK(!CHECKS_A, !__builtin_sub_overflow(INT_A(), IMM32(_JIT_IMM), &r), {
            INT_RESULT(_JIT_DST, r);
        });
    });
}
