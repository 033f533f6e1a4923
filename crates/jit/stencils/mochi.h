// Mochi's stencil conventions: the frame/value/object layout shared with the Rust runtime,
// and the hole names the JIT fills. Every constant here is asserted against the Rust side by
// crates/jit/tests/layout.rs; change both or neither.
//
// A stencil is `_JIT_ENTRY(frame, ctx)`, preserve_none, ending in a tail call to
// _JIT_CONTINUE. frame points at slot 0 of the running Mochi frame on the VM stack; slot
// operands are byte displacements (_JIT_<FIELD>, the op table's field names uppercased).
// Returning (instead of tail-calling) leaves the stitched code: 0 = finished, 1 = error
// (already recorded in ctx by a helper).
#include <stdint.h>

typedef uint64_t Value;

// ---- value encoding (runtime/src/value.rs) ----
#define TAG_SHIFT 48
#define TAG_BOOL 0xFFFCull
#define TAG_NONE 0xFFFDull
#define TAG_PTR 0xFFFEull
#define TAG_INT 0xFFFFull
#define TAG_MIN 0xFFF9ull
#define PAYLOAD_MASK 0x0000FFFFFFFFFFFFull
#define V_NONE (TAG_NONE << TAG_SHIFT)
#define V_FALSE (TAG_BOOL << TAG_SHIFT)
#define V_TRUE ((TAG_BOOL << TAG_SHIFT) | 1)
#define SMALL_INT_MIN (-(1ll << 47))
#define SMALL_INT_MAX ((1ll << 47) - 1)

// ---- heap object layout (runtime/src/heap.rs) ----
#define OBJ_KIND_OFFSET 0
#define OBJ_KIND_LIST 2
#define OBJ_KIND_STRUCT 4
#define OBJ_KIND_CLOSURE 5
#define OBJ_KIND_CELL 6
#define LIST_ITEMS_OFFSET 8
#define LIST_LEN_OFFSET 16
// A list buffer's sharer count sits just before items[0] (heap.rs ListBuf); writes need 1.
#define LIST_BUF_REFS_OFFSET -16
#define STRUCT_DESC_OFFSET 8
#define STRUCT_FIELDS_OFFSET 24
#define CLOSURE_CAPTURES_OFFSET 16
#define CELL_VALUE_OFFSET 8

// ---- frame header (bytecode/src/ops.rs FRAME_HEADER = 2) ----
// frame[-2]: return continuation (native address); frame[-1]: the callee value on entry,
// the result on return.
#define FRAME_HEADER 2

// ---- the JIT context (jit/src/enter.rs JitCtx, repr(C)) ----
typedef struct JitCtx {
    void *vm;
    uint64_t depth;
    uint64_t max_depth;
    char *stack_end;
    char *high_water;
} JitCtx;
#define CTX_DEPTH_OFFSET 8
#define CTX_MAX_DEPTH_OFFSET 16
#define CTX_STACK_END_OFFSET 24
#define CTX_HIGH_WATER_OFFSET 32
_Static_assert(__builtin_offsetof(JitCtx, depth) == CTX_DEPTH_OFFSET, "JitCtx.depth");
_Static_assert(__builtin_offsetof(JitCtx, max_depth) == CTX_MAX_DEPTH_OFFSET, "JitCtx.max_depth");
_Static_assert(__builtin_offsetof(JitCtx, stack_end) == CTX_STACK_END_OFFSET, "JitCtx.stack_end");
_Static_assert(__builtin_offsetof(JitCtx, high_water) == CTX_HIGH_WATER_OFFSET, "JitCtx.high_water");
_Static_assert(sizeof(Value) == 8, "Value is 8 bytes");

typedef __attribute__((preserve_none)) int64_t (*Cont)(Value *frame, JitCtx *ctx);

#define STENCIL __attribute__((preserve_none)) int64_t _JIT_ENTRY(Value *frame, JitCtx *ctx)
extern __attribute__((preserve_none)) int64_t _JIT_CONTINUE(Value *frame, JitCtx *ctx);
extern __attribute__((preserve_none)) int64_t _JIT_TARGET(Value *frame, JitCtx *ctx);
// The shared error exit (a stencil that returns 1 to the entry shim): helpers have already
// recorded the error and its location in ctx.
extern __attribute__((preserve_none)) int64_t _JIT_ERROR(Value *frame, JitCtx *ctx);
#define FAIL() __attribute__((musttail)) return _JIT_ERROR(frame, ctx)
#define CONTINUE() __attribute__((musttail)) return _JIT_CONTINUE(frame, ctx)
#define JUMP() __attribute__((musttail)) return _JIT_TARGET(frame, ctx)

// Slot holes: sized externs in a non-.l* section, so x86_64 uses [r12 + disp32].
#define SLOT_HOLE(name) extern char name[1] __attribute__((section(".jit_small")));
SLOT_HOLE(_JIT_DST)
SLOT_HOLE(_JIT_SRC)
SLOT_HOLE(_JIT_A)
SLOT_HOLE(_JIT_B)
SLOT_HOLE(_JIT_COND)
SLOT_HOLE(_JIT_CELL)
SLOT_HOLE(_JIT_OBJ)
SLOT_HOLE(_JIT_IDX)
SLOT_HOLE(_JIT_COUNTER)
SLOT_HOLE(_JIT_END)
SLOT_HOLE(_JIT_BASE)
SLOT_HOLE(_JIT_IMM)
SLOT_HOLE(_JIT_UP)
SLOT_HOLE(_JIT_FIELD_OFF)
SLOT_HOLE(_JIT_FRAME_BYTES)
#define SLOT(hole) (*(Value *)((char *)frame + (uintptr_t)(hole)))
// A 32-bit immediate operand: the JIT patches its two's complement bits (as an unsigned
// 32-bit value, which every relocation clang picks for a small-section symbol can hold).
#define IMM32(hole) ((int64_t)(int32_t)(uint32_t)(uintptr_t)(hole))

// 64-bit holes: unsized externs (movabs + R_X86_64_64).
extern char _JIT_K[];        // a constant's Value bits
extern char _JIT_G[];        // address of a global's slot
extern char _JIT_LOC[];      // (function index << 32) | op index, for helpers and errors
extern char _JIT_DESC[];     // a struct descriptor address
extern char _JIT_RESUME[];   // address of the call's resume stencil
#define HOLE64(hole) ((uint64_t)(uintptr_t)(hole))

// Helpers (Rust, extern "C"). Return 0 = go on, 1 = error recorded, 2 = branch taken.
extern uint64_t _JIT_HELPER_op(JitCtx *ctx, Value *frame, uint64_t loc);
// Resolves a call of a function value: returns the callee's entry address (frame header
// already written, depth counted), or 0 when the call already completed (result in the
// window's header slot base-1), or 1 on error.
extern uint64_t _JIT_HELPER_call_value(JitCtx *ctx, Value *frame, uint64_t loc);
// Runs a direct call synchronously (callee not compiled): result in slot base-1; 0 or 1.
extern uint64_t _JIT_HELPER_call_sync(JitCtx *ctx, Value *frame, uint64_t loc);
// Records a stack overflow at loc; returns 1.
extern uint64_t _JIT_HELPER_overflow(JitCtx *ctx, uint64_t loc);

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

// A stencil may opt out of continuation elision (cnp-build then keeps and patches its
// continuation jump instead of rejecting it): needed where a target's layout puts the
// taken path last (aarch64 has no tail inversion).
#define KEEP_CONTINUATION() \
    __asm__(".globl _JIT_KEEP_CONTINUATION\n.set _JIT_KEEP_CONTINUATION, 1")

// The slow path: a tail call to this op's cold stub (`cold_op` or `cold_branch`, emitted
// after the function's hot code), which runs the whole op in Rust (the interpreter's
// semantics) and comes back to the op's continuation or branch target. Keeping it out of
// line leaves each fast path a straight line ending in its (elided) continuation.
//
// Each use names its own hole (_JIT_COLD0, _JIT_COLD1, ... by __COUNTER__), all patched to
// the same stub: with one shared symbol clang merges the exits into a block after the
// continuation (defeating elision); with distinct ones it emits each as a `jcc` straight
// to the stub.
#define SLOW_AT(n)                                                                    \
    do {                                                                              \
        extern __attribute__((preserve_none)) int64_t _JIT_COLD##n(Value *, JitCtx *); \
        __attribute__((musttail)) return _JIT_COLD##n(frame, ctx);                    \
    } while (0)
#define SLOW_EXPAND(n) SLOW_AT(n)
#define SLOW() SLOW_EXPAND(__COUNTER__)
#define SLOW_BRANCH() SLOW()
// An op without a fast path: call the helper inline.
#define GENERIC()                                             \
    do {                                                      \
        if (_JIT_HELPER_op(ctx, frame, HOLE64(_JIT_LOC)))      \
            FAIL();                                           \
        CONTINUE();                                           \
    } while (0)

static inline int both_int(Value a, Value b) { return ((a & b) >> TAG_SHIFT) == TAG_INT; }
static inline int is_int(Value a) { return (a >> TAG_SHIFT) == TAG_INT; }
static inline int is_float(Value a) { return (a >> TAG_SHIFT) < TAG_MIN; }
static inline int is_ptr(Value a) { return (a >> TAG_SHIFT) == TAG_PTR; }
static inline int64_t shifted(Value a) { return (int64_t)(a << 16); }
static inline Value from_shifted(int64_t r) { return ((uint64_t)r >> 16) | (TAG_INT << TAG_SHIFT); }
static inline int64_t int_of(Value a) { return ((int64_t)(a << 16)) >> 16; }
static inline Value make_int(int64_t i) { return ((uint64_t)i & PAYLOAD_MASK) | (TAG_INT << TAG_SHIFT); }
static inline int fits_small(int64_t i) { return i >= SMALL_INT_MIN && i <= SMALL_INT_MAX; }
static inline double float_of(Value a) { union { Value v; double d; } u = {a}; return u.d; }
static inline Value make_float(double d) {
    union { double d; Value v; } u = {d};
    if (d != d) return 0x7FF8000000000000ull;  // canonical NaN
    return u.v;
}
static inline char *ptr_of(Value a) { return (char *)(uintptr_t)(a & PAYLOAD_MASK); }
static inline uint8_t kind_of(Value a) { return *(uint8_t *)(ptr_of(a) + OBJ_KIND_OFFSET); }
static inline Value make_bool(int b) { return V_FALSE | (b != 0); }
