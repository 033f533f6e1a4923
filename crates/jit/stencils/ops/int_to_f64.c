// IntToF64: float(i) for an int.
// cnp-variants: kd rd+nd? rd+kd+nd? ks ks+kd ks+rd+nd? ks+rd+kd+nd? rs rs+kd rs+rd+nd? rs+rd+kd+nd?
#include "mochi.h"

STENCIL {
    // The fast path as the `if` body: with one slow exit, x86_64 folds it into a `jcc` only
    // this way round, so the continuation jump stays last (elided).
    if (LIKELY(IS_INT_SRC()))
        FLOAT_RESULT(_JIT_DST, (double)INT_SRC());
    SLOW();
}
