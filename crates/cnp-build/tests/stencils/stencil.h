// Conventions for the demo stencils (a tiny register machine over 8-byte frame slots).
// One stencil per file; the file name is the stencil name; the function is _JIT_ENTRY.
#include <stdint.h>

#define STENCIL __attribute__((preserve_none)) int64_t _JIT_ENTRY(int64_t *frame)
#define CONTINUE() __attribute__((musttail)) return _JIT_CONTINUE(frame)
#define JUMP_TARGET() __attribute__((musttail)) return _JIT_TARGET(frame)

extern __attribute__((preserve_none)) int64_t _JIT_CONTINUE(int64_t *frame);
extern __attribute__((preserve_none)) int64_t _JIT_TARGET(int64_t *frame);

// Slot byte offsets: sized externs outside .l* sections, so x86_64 uses a disp32 (R_X86_64_32S).
// Mach-O section names are "segment,section".
#ifdef __APPLE__
#define JIT_SMALL_SECTION "__DATA,__jit_small"
#else
#define JIT_SMALL_SECTION ".jit_small"
#endif
extern char _JIT_SLOT_A[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_SLOT_B[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_SLOT_D[1] __attribute__((section(JIT_SMALL_SECTION)));
#define SLOT(hole) (*(int64_t *)((char *)frame + (uintptr_t)hole))

// 64-bit immediates: unsized externs (movabs + R_X86_64_64; movz/movk on aarch64).
extern char _JIT_OPERAND0[];
#define OPERAND0 ((int64_t)(uintptr_t)_JIT_OPERAND0)
