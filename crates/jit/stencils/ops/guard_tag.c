// A loop's entry check (jit/src/variants.rs): slot src must have tag _JIT_KTAG for the loop
// to run its body planned with that kind known; else it runs its plain copy (_JIT_TARGET).
#include "mochi.h"

STENCIL {
    if (UNLIKELY(TAG(_JIT_SRC) != (uintptr_t)_JIT_KTAG))
        JUMP();
    CONTINUE();
}
