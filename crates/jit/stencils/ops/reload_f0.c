// A register consumer's rescue (jit/src/reg_links.rs): where the paths that reach an op
// taking an operand in f0 without it (the op before took its slow path; a deoptimization
// resumes at the op) enter. Loads the operand from its slot into f0 and goes on to the op's
// fast path; anything but a float goes to the op's slow path, which runs it from the frame.
// The plain stencil reloads operand src, `__ra` / `__rb` operand a / b.
// cnp-variants: ra rb
#include "mochi.h"

#if defined(CNP_VARIANT_RA)
#define RELOADED _JIT_A
#elif defined(CNP_VARIANT_RB)
#define RELOADED _JIT_B
#else
#define RELOADED _JIT_SRC
#endif

STENCIL {
    if (LIKELY(TAG(RELOADED) == TAG_FLOAT))
        __attribute__((musttail)) return _JIT_CONTINUE(frame, ctx, FLT(RELOADED));
    SLOW();
}
