// The "regs" example language: a register machine over 8-byte slots of a frame.
// One stencil per file; the file name is the stencil name; the function is _JIT_ENTRY.
#include <stdint.h>

// Every stencil takes the frame and tail-calls the next one (preserve_none: no register is
// callee-saved, so a chain of stencils saves nothing).
#define STENCIL __attribute__((preserve_none)) int64_t _JIT_ENTRY(int64_t *frame)
#define CONTINUE() __attribute__((musttail)) return _JIT_CONTINUE(frame)
extern __attribute__((preserve_none)) int64_t _JIT_CONTINUE(int64_t *frame);
extern __attribute__((preserve_none)) int64_t _JIT_TARGET(int64_t *frame);

// Holes are extern symbols whose address is the value. Register operands are byte offsets:
// sized externs in a non-.l* section, so x86_64 folds them into [reg + disp32].
extern char _JIT_D[1] __attribute__((section(".jit_small")));
extern char _JIT_A[1] __attribute__((section(".jit_small")));
extern char _JIT_B[1] __attribute__((section(".jit_small")));
#define REG(hole) (*(int64_t *)((char *)frame + (uintptr_t)hole))

// A 64-bit immediate: an unsized extern (movabs + R_X86_64_64).
extern char _JIT_IMM[];
#define IMM ((int64_t)(uintptr_t)_JIT_IMM)
