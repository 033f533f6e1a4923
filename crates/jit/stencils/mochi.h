// Mochi's stencil conventions: the frame/value/object layout shared with the Rust runtime,
// and the hole names the JIT fills. Every constant here is asserted against the Rust side by
// crates/jit/tests/layout.rs; change both or neither.
//
// A stencil is `_JIT_ENTRY(frame, ctx)`, preserve_none, ending in a tail call to
// _JIT_CONTINUE. frame points at slot 0 of the running Mochi frame on the VM stack; slot
// operands are byte displacements (_JIT_<FIELD>, the op table's field names uppercased;
// declared in the generated holes.h).
// Returning (instead of tail-calling) leaves the stitched code: 0 = finished, 1 = error
// (already recorded in ctx by a helper).
#include <stdint.h>

// ---- value encoding (runtime/src/value.rs): a payload word, then a tag word ----
typedef struct Value {
    uint64_t bits;
    uint64_t tag;
} Value;
#define VALUE_SIZE 16
#define VALUE_BITS_OFFSET 0
#define VALUE_TAG_OFFSET 8
#define TAG_NONE 0
#define TAG_BOOL 1
#define TAG_INT 2
#define TAG_FLOAT 3
#define TAG_RAW 4
#define TAG_OBJ_MIN 16
_Static_assert(sizeof(Value) == VALUE_SIZE, "Value is 16 bytes");
_Static_assert(__builtin_offsetof(Value, tag) == VALUE_TAG_OFFSET, "Value.tag");

// ---- heap object layout (runtime/src/heap.rs); a heap value's tag is its object kind ----
#define OBJ_KIND_OFFSET 0
#define OBJ_KIND_STR 16
#define OBJ_KIND_LIST 17
#define OBJ_KIND_MAP 18
#define OBJ_KIND_STRUCT 19
#define OBJ_KIND_CLOSURE 20
#define OBJ_KIND_CELL 21
#define LIST_ITEMS_OFFSET 8
#define LIST_LEN_OFFSET 16
#define LIST_CAP_OFFSET 24
// A list buffer's sharer count sits just before items[0] (heap.rs ListBuf); writes need 1.
#define LIST_BUF_REFS_OFFSET -16
// ...and after it, the elements written so far (the longest sharer's length).
#define LIST_BUF_USED_OFFSET -8
// A map's array part (map.rs MapObj): values of int keys 0..len, absent ones tagged HOLE.
#define MAP_ARR_ITEMS_OFFSET 8
#define MAP_ARR_LEN_OFFSET 16
#define MAP_ARR_COUNT_OFFSET 24
#define MAP_HOLE_TAG 4  // TAG_RAW
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

// Besides the frame and the context, every stencil takes an int register and two float
// registers. `i0` (x86_64 r14, as preserve_none passes a third integer argument) and `f0`
// (x86_64 xmm0, aarch64 d0, riscv64 fa0) hold the result a register variant (`__rd`, see
// "Variants" below) leaves for the next op, which reads it instead of its slot: an int in
// i0, a float in f0. A stencil that leaves none passes NO_I0 / NO_F0, an undefined value: no
// instruction, and nothing for clang to keep alive across a helper call. `f1` (xmm1 / d1 /
// fa1) holds the result a `__qd` variant leaves for a later op of its block, across typed
// ops between: a fast path passes it on unchanged (CONTINUE, JUMP); a slow path, a helper
// call on a fast path (GENERIC) and anything that leaves the function drop it (NO_F1), so
// clang never keeps it across a call.
typedef __attribute__((preserve_none)) int64_t (*Cont)(Value *frame, JitCtx *ctx, int64_t i0, double f0,
                                                       double f1);
static inline double no_f0(void) {
    double undefined;
    return undefined;
}
static inline int64_t no_i0(void) {
    int64_t undefined;
    return undefined;
}
#define NO_I0 no_i0()
#define NO_F0 no_f0()
#define NO_F1 no_f0()

#define STENCIL                                                                        \
    __attribute__((preserve_none)) int64_t _JIT_ENTRY(Value *frame, JitCtx *ctx, int64_t i0, double f0, \
                                                      double f1)
extern __attribute__((preserve_none)) int64_t _JIT_CONTINUE(Value *frame, JitCtx *ctx, int64_t i0, double f0,
                                                            double f1);
extern __attribute__((preserve_none)) int64_t _JIT_TARGET(Value *frame, JitCtx *ctx, int64_t i0, double f0,
                                                          double f1);
// The shared error exit (a stencil that returns 1 to the entry shim): helpers have already
// recorded the error and its location in ctx.
extern __attribute__((preserve_none)) int64_t _JIT_ERROR(Value *frame, JitCtx *ctx, int64_t i0, double f0,
                                                         double f1);
#define FAIL() __attribute__((musttail)) return _JIT_ERROR(frame, ctx, NO_I0, NO_F0, NO_F1)
#define CONTINUE() __attribute__((musttail)) return _JIT_CONTINUE(frame, ctx, NO_I0, NO_F0, f1)
#define JUMP() __attribute__((musttail)) return _JIT_TARGET(frame, ctx, NO_I0, NO_F0, f1)
// After a helper call: f1 is not kept across it (see above).
#define CONTINUE_AFTER_CALL() __attribute__((musttail)) return _JIT_CONTINUE(frame, ctx, NO_I0, NO_F0, NO_F1)
#define JUMP_AFTER_CALL() __attribute__((musttail)) return _JIT_TARGET(frame, ctx, NO_I0, NO_F0, NO_F1)

// Small holes are sized externs in a non-.l* section, so x86_64 uses [r12 + disp32]. (Mach-O
// section names are "segment,section"; its large model ignores the section anyway.)
#ifdef __APPLE__
#define JIT_SMALL_SECTION "__DATA,__jit_small"
#else
#define JIT_SMALL_SECTION ".jit_small"
#endif
// The data holes (slot operands, immediates, constants, addresses): generated from the op
// table by crates/jit/src/holes.rs.
#include "holes.h"
// A slot operand is the byte displacement of a 16-byte value in the frame; its words are
// reached as [frame + disp] and [frame + disp + 8] (the +8 folds into the relocation addend;
// adding it to the hole before the frame keeps clang from materialising frame + disp in a
// register with a `lea`).
#define SLOT_AT(hole, word) ((char *)frame + ((uintptr_t)(hole) + (word)))
#define SLOT_PTR(hole) ((Value *)SLOT_AT(hole, 0))
#define BITS(hole) (*(uint64_t *)SLOT_AT(hole, VALUE_BITS_OFFSET))
#define TAG(hole) (*(uint64_t *)SLOT_AT(hole, VALUE_TAG_OFFSET))
#define INT(hole) (*(int64_t *)SLOT_AT(hole, VALUE_BITS_OFFSET))
#define FLT(hole) (*(double *)SLOT_AT(hole, VALUE_BITS_OFFSET))
// Stores a typed result: payload and tag (the tag word is always written whole).
#define SET_INT(hole, x) (INT(hole) = (x), TAG(hole) = TAG_INT)
#define SET_FLT(hole, x) (FLT(hole) = (x), TAG(hole) = TAG_FLOAT)
#define SET_BOOL(hole, x) (BITS(hole) = (x) != 0, TAG(hole) = TAG_BOOL)
// A 32-bit immediate operand: the JIT patches its two's complement bits (as an unsigned
// 32-bit value, which every relocation clang picks for a small-section symbol can hold).
#define IMM32(hole) ((int64_t)(int32_t)(uint32_t)(uintptr_t)(hole))

#ifdef __riscv
// riscv64 has no large code model: medlow makes every hole a `lui` + `addi` pair, an absolute
// value within ±2 GiB, which cannot hold a constant, a `loc` past function 0 or a host
// address. So 64-bit holes are loaded from a GOT entry that the code buffer adds per value:
// `auipc` + `ld` (R_RISCV_GOT_HI20 + R_RISCV_PCREL_LO12_I, paired by cnp-build). Not
// volatile: clang may share one load between uses of the same hole.
#define HOLE64(hole)                                                              \
    ({                                                                            \
        uint64_t hole64_;                                                         \
        __asm__("1: auipc %0, %%got_pcrel_hi(" #hole ")\n\tld %0, %%pcrel_lo(1b)(%0)" \
                : "=r"(hole64_));                                                 \
        hole64_;                                                                  \
    })
#else
#define HOLE64(hole) ((uint64_t)(uintptr_t)(hole))
#endif

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
// A function's tier-up budget ran out at loc (its entry or a loop header): 0 = go on in
// stitched code, 1 = error recorded, 2 = a higher tier ran the function to its return
// (result in frame[-1]).
extern uint64_t _JIT_HELPER_tier_up(JitCtx *ctx, Value *frame, uint64_t loc);

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

// Continuation elision is cnp-build's call, per target: a stencil whose jump to
// _JIT_CONTINUE is its last instruction loses it (the next stencil follows); one whose
// layout puts the jump elsewhere (aarch64 and the x86_64 large model place exits after it)
// keeps it, patched. crates/jit/tests/stencils.rs lists, per target, which stencils keep it.

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
        extern __attribute__((preserve_none)) int64_t _JIT_COLD##n(Value *, JitCtx *, int64_t, \
                                                                   double, double);          \
        __attribute__((musttail)) return _JIT_COLD##n(frame, ctx, NO_I0, NO_F0, NO_F1);              \
    } while (0)
#define SLOW_EXPAND(n) SLOW_AT(n)
#define SLOW() SLOW_EXPAND(__COUNTER__)
#define SLOW_BRANCH() SLOW()
// An op without a fast path: call the helper inline.
#define GENERIC()                                             \
    do {                                                      \
        if (_JIT_HELPER_op(ctx, frame, HOLE64(_JIT_LOC)))      \
            FAIL();                                           \
        CONTINUE_AFTER_CALL();                                \
    } while (0)

// Values move as two 8-byte words, never as one 16-byte vector access: a 16-byte load of a
// value just stored as two words (what every typed op does) misses store forwarding and
// stalls ~20 cycles (measured on this machine: 6.6 ns against 0.4 ns per store/load pair).
// So stencils never assign whole `Value`s through memory; they use these. The empty asm pins
// both words in general registers, or clang merges a two-word copy into one `movups`.
static inline Value load_value(const Value *p) {
    Value v;
    v.bits = p->bits;
    v.tag = p->tag;
    __asm__("" : "+r"(v.bits), "+r"(v.tag));
    return v;
}
static inline void store_value(Value *p, Value v) {
    p->bits = v.bits;
    p->tag = v.tag;
}
static inline void store_parts(Value *p, uint64_t bits, uint64_t tag) {
    p->bits = bits;
    p->tag = tag;
}
#define COPY_SLOT(dst, src) store_value(SLOT_PTR(dst), load_value(SLOT_PTR(src)))
static inline char *ptr_of(Value v) { return (char *)(uintptr_t)v.bits; }

// Whether the int key in slot `key` lies in the array part of the map in slot `map` (map.rs
// MapObj: values of int keys 0..len, absent ones tagged MAP_HOLE_TAG); if so, `*entry` is its
// entry. False when `map` is not a map or the key not an int. (A flag, not a null pointer:
// clang cannot prove `items + k` non-null, and would test it.)
static inline int map_array_entry(const Value *map, const Value *key, Value **entry) {
    if ((map->tag != OBJ_KIND_MAP) | (key->tag != TAG_INT))
        return 0;
    char *p = ptr_of(*map);
    if (key->bits >= *(uint64_t *)(p + MAP_ARR_LEN_OFFSET))
        return 0;  // negative or past the array part
    *entry = *(Value **)(p + MAP_ARR_ITEMS_OFFSET) + key->bits;
    return 1;
}

// `==` of two values where ops.rs `equals` answers from the words alone: writes the result
// (negated for `!=`) and goes on; floats (int/float mixing, NaN) and distinct heap objects
// (compared by content) take the slow path. The fast path is the `if` body with one slow
// exit, so that x86_64 keeps no continuation jump.
#define EQUALITY(dst, a, b, negate)                                            \
    do {                                                                       \
        uint64_t ta = TAG(a), tb = TAG(b);                                     \
        int same = ta == tb && BITS(a) == BITS(b);                             \
        int no_float = (ta != TAG_FLOAT) & (tb != TAG_FLOAT);                  \
        int no_heap = (ta < TAG_OBJ_MIN) & (tb < TAG_OBJ_MIN);                 \
        if (LIKELY(no_float & (same | no_heap))) {                             \
            SET_BOOL(dst, same != (negate));                                   \
            CONTINUE();                                                        \
        }                                                                      \
        SLOW();                                                                \
    } while (0)

// ---- Variants (a file's `// cnp-variants:` line; cnp-build compiles one per entry) ----
// A typed op's template yields variants that differ in how they read an operand and where
// the result goes. `ka` / `kb` / `ks`: operand a / b / src is read without a tag check (an
// earlier op of the block checked or made its kind). `ra` / `rb` / `rs` / `ri`: it is in
// the register of its kind as the op before left it, i0 for an int, f0 for a float, so no
// check and no load. `qa` / `qb` / `qs`: it is f1, as an earlier op of the block left it.
// `rd`: the result is also passed on in the register of its kind; `qd`: a float, in f1.
// `kd`: the result's slot already holds a value of its kind, so only the payload is
// stored. The frame stays the truth: an `rd` or `qd` variant still stores its result, so a
// slow path (which runs the op in Rust from the frame), a collection, a deoptimization or
// any later op sees it there; only ints and floats ever ride in i0, f0 and f1, so no heap
// pointer lives only in a register. jit/src/variants/ decides which variant each op runs, and where the slow
// paths of ops others rely on continue.
// (The empty asm keeps the bits in a general register: clang would otherwise turn a test of
// them into a float compare, two branches.)
static inline uint64_t bits_of_f64(double x) {
    uint64_t bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    __asm__("" : "+r"(bits));
    return bits;
}
static inline double f64_of_bits(uint64_t bits) {
    double x;
    __builtin_memcpy(&x, &bits, sizeof x);
    return x;
}
// An operand is read one of three ways: from its slot after a tag check (the plain
// stencil), from its slot without one (`ka` / `kb` / `ks`: an earlier op of the same block
// checked or made its kind, and nothing wrote the slot since), or from f0 (`ra` / `rb` /
// `rs`, always a float). CHECKS_<X> is 1 when the stencil checks operand X.
#if defined(CNP_VARIANT_RA)
#define CHECKS_A 0
#define IS_FLOAT_A() 1
#define FLOAT_A() f0
#define FLOAT_BITS_A() bits_of_f64(f0)
#define IS_INT_A() 1
#define INT_A() i0
#elif defined(CNP_VARIANT_QA)
#define CHECKS_A 0
#define IS_FLOAT_A() 1
#define FLOAT_A() f1
#define FLOAT_BITS_A() bits_of_f64(f1)
#elif defined(CNP_VARIANT_KA)
#define CHECKS_A 0
#define IS_FLOAT_A() 1
#define IS_INT_A() 1
#else
#define CHECKS_A 1
#define IS_FLOAT_A() (TAG(_JIT_A) == TAG_FLOAT)
#define IS_INT_A() (TAG(_JIT_A) == TAG_INT)
#endif
#ifndef FLOAT_A
#define FLOAT_A() FLT(_JIT_A)
#define FLOAT_BITS_A() BITS(_JIT_A)
#endif
#ifndef INT_A
#define INT_A() INT(_JIT_A)
#endif

#if defined(CNP_VARIANT_RB)
#define CHECKS_B 0
#define IS_FLOAT_B() 1
#define FLOAT_B() f0
#define FLOAT_BITS_B() bits_of_f64(f0)
#define IS_INT_B() 1
#define INT_B() i0
#elif defined(CNP_VARIANT_QB)
#define CHECKS_B 0
#define IS_FLOAT_B() 1
#define FLOAT_B() f1
#define FLOAT_BITS_B() bits_of_f64(f1)
#elif defined(CNP_VARIANT_KB)
#define CHECKS_B 0
#define IS_FLOAT_B() 1
#define IS_INT_B() 1
#else
#define CHECKS_B 1
#define IS_FLOAT_B() (TAG(_JIT_B) == TAG_FLOAT)
#define IS_INT_B() (TAG(_JIT_B) == TAG_INT)
#endif
#ifndef FLOAT_B
#define FLOAT_B() FLT(_JIT_B)
#define FLOAT_BITS_B() BITS(_JIT_B)
#endif
#ifndef INT_B
#define INT_B() INT(_JIT_B)
#endif

#if defined(CNP_VARIANT_RS)
#define CHECKS_SRC 0
#define IS_FLOAT_SRC() 1
#define FLOAT_SRC() f0
#define IS_INT_SRC() 1
#define INT_SRC() i0
#elif defined(CNP_VARIANT_QS)
#define CHECKS_SRC 0
#define IS_FLOAT_SRC() 1
#define FLOAT_SRC() f1
#elif defined(CNP_VARIANT_KS)
#define CHECKS_SRC 0
#define IS_FLOAT_SRC() 1
#define IS_INT_SRC() 1
#else
#define CHECKS_SRC 1
#define IS_FLOAT_SRC() (TAG(_JIT_SRC) == TAG_FLOAT)
#define IS_INT_SRC() (TAG(_JIT_SRC) == TAG_INT)
#endif
#ifndef FLOAT_SRC
#define FLOAT_SRC() FLT(_JIT_SRC)
#endif
#ifndef INT_SRC
#define INT_SRC() INT(_JIT_SRC)
#endif
// Runs its statements (which continue) when operands a and b are of kind K (FLOAT or INT), else
// the slow path; a known operand or one in f0 is not checked. x86_64 keeps the continuation
// jump last (elided) with two slow exits as `if`s before the fast path, but with one only
// as the `if` around it.
#if CHECKS_A && CHECKS_B
#define WHEN_AB(K, ...)                 \
    do {                                 \
        if (UNLIKELY(!IS_##K##_A()))     \
            SLOW();                      \
        if (UNLIKELY(!IS_##K##_B()))     \
            SLOW();                      \
        __VA_ARGS__;                     \
    } while (0)
#else
#define WHEN_AB(K, ...)                              \
    do {                                              \
        if (LIKELY(IS_##K##_A() && IS_##K##_B())) {   \
            __VA_ARGS__;                              \
        }                                             \
        SLOW();                                       \
    } while (0)
#endif
#define WHEN_FLOATS_AB(...) WHEN_AB(FLOAT, __VA_ARGS__)
#define WHEN_INTS_AB(...) WHEN_AB(INT, __VA_ARGS__)
// List indexing: the list operand `obj` and the index `idx`, either known (`ko`, `ki`), the
// index possibly in i0 (`ri`).
#ifdef CNP_VARIANT_KO
#define CHECKS_OBJ 0
#else
#define CHECKS_OBJ 1
#endif
#if defined(CNP_VARIANT_RI)
// `ri`: the index is in i0, as the op before left it (an int, so no check and no load).
#define CHECKS_IDX 0
#define INT_IDX() i0
#elif defined(CNP_VARIANT_KI)
#define CHECKS_IDX 0
#else
#define CHECKS_IDX 1
#endif
#ifndef INT_IDX
#define INT_IDX() INT(_JIT_IDX)
#endif
// Goes to the slow path unless `obj` is a list and `idx` an int (the known ones unchecked).
#define CHECK_LIST_INDEX()                                              \
    do {                                                                \
        if (CHECKS_OBJ && UNLIKELY(TAG(_JIT_OBJ) != OBJ_KIND_LIST))     \
            SLOW();                                                     \
        if (CHECKS_IDX && UNLIKELY(TAG(_JIT_IDX) != TAG_INT))           \
            SLOW();                                                     \
    } while (0)

// The fast path's last condition `ok` (no overflow, a nonzero divisor), then its
// statements. Its slow exit is an `if` before them when the stencil checks an operand too,
// and the `if` around them when it is the stencil's only exit (`only`, a constant): x86_64
// keeps the continuation jump last only that way round.
#define LAST_CHECK(only, ok, ...)          \
    do {                                   \
        if (only) {                        \
            if (LIKELY(ok)) {              \
                __VA_ARGS__;               \
            }                              \
            SLOW();                        \
        } else {                           \
            if (UNLIKELY(!(ok)))           \
                SLOW();                    \
            __VA_ARGS__;                   \
        }                                  \
    } while (0)
#define CHECKS_NONE_AB (!CHECKS_A && !CHECKS_B)
// Runs its statements when operand X (A or SRC) is of kind K, else the slow path.
#define WHEN_ONE(K, X, ...)                            \
    do {                                               \
        if (CHECKS_##X && UNLIKELY(!IS_##K##_##X()))   \
            SLOW();                                    \
        __VA_ARGS__;                                   \
    } while (0)
// A result stored in slot `hole`: payload and tag, or, in a `kd` variant (the slot already
// holds a value of the result's kind), the payload alone. An `nd` variant passes its result
// on in a register to an op that cannot fail, after which no op reads the slot before one
// writes it: the payload is never read, so only the tag is stored (nothing, with `kd`),
// which keeps the slot's kind what the planner knows it to be.
#if defined(CNP_VARIANT_ND) && defined(CNP_VARIANT_KD)
#define STORE_FLT(hole, x) ((void)0)
#define STORE_INT(hole, x) ((void)0)
#elif defined(CNP_VARIANT_ND)
#define STORE_FLT(hole, x) (TAG(hole) = TAG_FLOAT)
#define STORE_INT(hole, x) (TAG(hole) = TAG_INT)
#elif defined(CNP_VARIANT_KD)
#define STORE_FLT(hole, x) (FLT(hole) = (x))
#define STORE_INT(hole, x) (INT(hole) = (x))
#else
#define STORE_FLT(hole, x) SET_FLT(hole, x)
#define STORE_INT(hole, x) SET_INT(hole, x)
#endif
// The registers a continuation takes (i0, f0, f1) after an op that made result `r`: a
// float goes on in f0 in an `rd` variant, in f1 in a `qd` one; an int in i0 in an `rd` one.
#if defined(CNP_VARIANT_RD)
#define FLOAT_RESULT_REGISTERS(r) NO_I0, r, f1
#define INT_RESULT_REGISTERS(r) r, NO_F0, f1
#elif defined(CNP_VARIANT_QD)
#define FLOAT_RESULT_REGISTERS(r) NO_I0, NO_F0, r
#else
#define FLOAT_RESULT_REGISTERS(r) NO_I0, NO_F0, f1
#define INT_RESULT_REGISTERS(r) NO_I0, NO_F0, f1
#endif
// Stores a result of C type T in slot `hole` (STORE: STORE_FLT or STORE_INT) and goes on,
// passing it on as REGISTERS says.
#define TYPED_RESULT(T, STORE, REGISTERS, hole, x)                                       \
    do {                                                                                 \
        T result_ = (x);                                                                 \
        STORE(hole, result_);                                                            \
        __attribute__((musttail)) return _JIT_CONTINUE(frame, ctx, REGISTERS(result_));  \
    } while (0)
#define FLOAT_RESULT(hole, x) TYPED_RESULT(double, STORE_FLT, FLOAT_RESULT_REGISTERS, hole, x)
#define INT_RESULT(hole, x) TYPED_RESULT(int64_t, STORE_INT, INT_RESULT_REGISTERS, hole, x)
