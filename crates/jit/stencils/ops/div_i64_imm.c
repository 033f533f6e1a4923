// DivI64Imm: int / an immediate, truncating. The compiler gives no divisor of 0 or -1 (the
// error and the overflow stay DivI64's), so only a big int dividend takes the slow path. A
// power-of-two divisor shifts (the immediate is patched in, so the test is a few predictable
// instructions against a 64-bit `idiv`).
// cnp-variants: kd rd+nd? rd+kd+nd? ka ka+kd ka+rd+nd? ka+rd+kd+nd? ra ra+kd ra+rd+nd? ra+rd+kd+nd?
#include "mochi.h"

STENCIL {
    WHEN_ONE(INT, A, {
        int64_t a = INT_A(), d = IMM32(_JIT_IMM), q;
        // A power of two: not `(d & (d - 1)) == 0`, which clang makes a popcount (twenty
        // instructions without a popcnt instruction).
        int k = d > 0 ? __builtin_ctzll((uint64_t)d) : 0;
        if (d > 0 && (d >> k) == 1)
            q = (a + ((a >> 63) & (d - 1))) >> k;
        else
            q = a / d;
        INT_RESULT(_JIT_DST, q);
    });
}
