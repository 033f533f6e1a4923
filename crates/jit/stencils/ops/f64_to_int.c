// F64ToInt: `x as int` for a float: truncated toward zero when that fits 64 bits; NaN, the
// infinities and floats past 2^63 (0, or a big int) take the slow path.
// cnp-variants: kd rd+nd? rd+kd+nd? ks ks+kd ks+rd+nd? ks+rd+kd+nd? rs rs+kd rs+rd+nd? rs+rd+kd+nd?
#include "mochi.h"

STENCIL {
    if (CHECKS_SRC && UNLIKELY(!IS_FLOAT_SRC()))
        SLOW();
    double x = FLOAT_SRC();
    // 2^63 is exact as a double; NaN fails both compares.
    LAST_CHECK(!CHECKS_SRC, x >= -9223372036854775808.0 && x < 9223372036854775808.0,
               INT_RESULT(_JIT_DST, (int64_t)x));
}
