// GENERATED from the op table by crates/jit/src/holes.rs; do not edit. Regenerate with
// `MOCHI_BLESS=1 cargo test -p mochi-jit --test stencils` (then rebuild the tables).
//
// Small holes are sized externs in a non-.l* section, so x86_64 uses [r12 + disp32];
// wide ones are unsized (movabs + R_X86_64_64; riscv64 reads them through HOLE64).
// Included by mochi.h after JIT_SMALL_SECTION.
// slot operands: byte displacement of the value in the frame
extern char _JIT_DST[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_SRC[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_CELL[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_A[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_B[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_COND[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_COUNTER[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_END[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_BASE[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_CALLEE[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_OBJ[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_IDX[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_START[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_LIST[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_VAL[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_OWNER[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_X[1] __attribute__((section(JIT_SMALL_SECTION)));
extern char _JIT_COLL[1] __attribute__((section(JIT_SMALL_SECTION)));
// immediate operand: its 32-bit two's complement bits
extern char _JIT_IMM[1] __attribute__((section(JIT_SMALL_SECTION)));
// capture operand: byte offset of the capture in the running closure
extern char _JIT_UP[1] __attribute__((section(JIT_SMALL_SECTION)));
// a constant's payload (its tag is _JIT_KTAG)
extern char _JIT_K[];
// a constant's tag
extern char _JIT_KTAG[1] __attribute__((section(JIT_SMALL_SECTION)));
// address of a global's slot
extern char _JIT_G[];
// (function index << 32) | op index, for helpers and errors
extern char _JIT_LOC[];
// a struct descriptor address
extern char _JIT_DESC[];
// byte offset of a field's value in its struct object
extern char _JIT_FIELD_OFF[1] __attribute__((section(JIT_SMALL_SECTION)));
// byte offset from the caller's frame to the end of a direct callee's
extern char _JIT_CALL_TOP[1] __attribute__((section(JIT_SMALL_SECTION)));
// minus a call's window offset in bytes (negative: the callee's frame back to the caller's)
extern char _JIT_BASE_BACK[1] __attribute__((section(JIT_SMALL_SECTION)));
// address of the call's resume stencil
extern char _JIT_RESUME[];
// address of the function's tier-up budget (uint32_t)
extern char _JIT_BUDGET[];
