// Runs a Mochi image stitched on another host (mochi_jit::cross::stitch) on this target, under
// qemu-aarch64 / qemu-riscv64 (see tests/cross.rs). It stands in for the Rust runtime: a VM
// stack of 16-byte values, the JitCtx the stencils read, and C versions of the helpers for
// the few ops the kernels need.
//
//   harness       prints the helpers' addresses in mochi_jit::cross::HELPERS order
//   harness SPEC  runs the spec (written by the test):
//                   image PATH BASE SHIM EXIT
//                   op LOC KIND A B C        helper table: KIND 1 = NewList dst base n,
//                                            2 = Append dst list val,
//                                            3 = AppendOwned list val owner (dst = list)
//                   call ENTRY NARGS [TAG BITS]...   prints "STATUS TAG BITS"
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

// Layouts from crates/jit/stencils/mochi.h (asserted against Rust by tests/layout.rs).
typedef struct Value {
    uint64_t bits;
    uint64_t tag;
} Value;
#define TAG_NONE 0
#define TAG_RAW 4
#define OBJ_KIND_LIST 17
typedef struct JitCtx {
    void *vm;
    uint64_t depth;
    uint64_t max_depth;
    char *stack_end;
    char *high_water;
} JitCtx;
typedef struct ListObj {
    uint8_t kind, marked, pad[6];
    Value *items;
    uint64_t len;
    uint64_t cap;
} ListObj;

// Built with -DMOCHI_WIN64 for the x86_64 Windows table: its stencils call helpers, and are
// entered through the shim, with the Microsoft x64 calling convention.
#ifdef MOCHI_WIN64
#define ABI __attribute__((ms_abi))
#else
#define ABI
#endif

typedef struct OpRow {
    uint64_t loc;
    int kind, a, b, c;
} OpRow;
static OpRow ops[256];
static int nops;

#define STACK_SLOTS (1 << 16)
static Value stack[STACK_SLOTS];

// A list with room for `cap` items; its buffer has the 16-byte sharer header stencils expect
// before items[0] (mochi.h LIST_BUF_REFS_OFFSET), holding 1 (unshared).
static Value new_list(uint64_t cap) {
    ListObj *l = calloc(1, sizeof *l);
    uint64_t *buf = calloc(2 + 2 * (cap ? cap : 1), 8);
    buf[0] = 1;
    l->kind = OBJ_KIND_LIST;
    l->items = (Value *)(buf + 2);
    l->cap = cap;
    return (Value){(uint64_t)(uintptr_t)l, OBJ_KIND_LIST};
}

// A new list of `old`'s elements and `v`, with room for `cap >= old->len + 1`.
static Value appended(ListObj *old, Value v, uint64_t cap) {
    Value fresh = new_list(cap);
    ListObj *l = (ListObj *)(uintptr_t)fresh.bits;
    memcpy(l->items, old->items, old->len * sizeof(Value));
    l->items[old->len] = v;
    l->len = old->len + 1;
    return fresh;
}

static uint64_t fail(const char *what, uint64_t loc) {
    fprintf(stderr, "harness: %s at fn %u op %u\n", what, (unsigned)(loc >> 32), (unsigned)loc);
    return 1;
}

ABI uint64_t helper_op(JitCtx *ctx, Value *frame, uint64_t loc) {
    (void)ctx;
    for (int i = 0; i < nops; i++) {
        OpRow *r = &ops[i];
        if (r->loc != loc) continue;
        if (r->kind == 1) {  // NewList dst base n
            Value v = new_list(r->c);
            ListObj *l = (ListObj *)(uintptr_t)v.bits;
            for (int k = 0; k < r->c; k++) l->items[k] = frame[r->b + k];
            l->len = r->c;
            frame[r->a] = v;
            return 0;
        }
        if (r->kind == 2) {  // Append dst list val: a new list (lists are values to Mochi)
            Value list = frame[r->b];
            if (list.tag != OBJ_KIND_LIST) return fail("append to a non-list", loc);
            ListObj *old = (ListObj *)(uintptr_t)list.bits;
            frame[r->a] = appended(old, frame[r->c], old->len + 1);
            return 0;
        }
        if (r->kind == 3) {  // AppendOwned: in place when `list` is the owner's list
            Value list = frame[r->a], owner = frame[r->c];
            if (list.tag != OBJ_KIND_LIST) return fail("append to a non-list", loc);
            ListObj *old = (ListObj *)(uintptr_t)list.bits;
            if (owner.tag == list.tag && owner.bits == list.bits && old->len < old->cap) {
                old->items[old->len++] = frame[r->b];
                return 0;
            }
            frame[r->a] = appended(old, frame[r->b], 2 * (old->len + 1));
            return 0;
        }
    }
    return fail("no C helper for this op (a slow path the kernels should not take)", loc);
}

ABI uint64_t helper_call_value(JitCtx *ctx, Value *frame, uint64_t loc) {
    (void)ctx, (void)frame;
    return fail("call_value is not supported", loc);
}

ABI uint64_t helper_call_sync(JitCtx *ctx, Value *frame, uint64_t loc) {
    (void)ctx, (void)frame;
    return fail("call_sync is not supported", loc);
}

ABI uint64_t helper_overflow(JitCtx *ctx, uint64_t loc) {
    (void)ctx;
    return fail("stack overflow", loc);
}

typedef ABI int64_t (*Shim)(Value *frame, JitCtx *ctx, uintptr_t entry);

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("%llu %llu %llu %llu\n", (unsigned long long)(uintptr_t)&helper_op,
               (unsigned long long)(uintptr_t)&helper_call_value,
               (unsigned long long)(uintptr_t)&helper_call_sync,
               (unsigned long long)(uintptr_t)&helper_overflow);
        return 0;
    }
    FILE *spec = fopen(argv[1], "r");
    if (!spec) return 2;
    char word[16], path[4096];
    unsigned long long base = 0, shim = 0, exit_addr = 0;
    while (fscanf(spec, "%15s", word) == 1) {
        if (!strcmp(word, "image")) {
            if (fscanf(spec, "%4095s %llu %llu %llu", path, &base, &shim, &exit_addr) != 4) return 2;
            FILE *file = fopen(path, "rb");
            if (!file) return 2;
            fseek(file, 0, SEEK_END);
            long len = ftell(file);
            fseek(file, 0, SEEK_SET);
            size_t size = ((size_t)len + 0xffff) & ~(size_t)0xffff;
            char *code = mmap((void *)(uintptr_t)base, size, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (code != (char *)(uintptr_t)base) return 3;
            if (fread(code, 1, (size_t)len, file) != (size_t)len) return 2;
            fclose(file);
            __builtin___clear_cache(code, code + len);
            if (mprotect(code, size, PROT_READ | PROT_EXEC) != 0) return 4;
        } else if (!strcmp(word, "op")) {
            OpRow *r = &ops[nops++];
            if (fscanf(spec, "%llu %d %d %d %d", (unsigned long long *)&r->loc, &r->kind, &r->a,
                       &r->b, &r->c) != 5)
                return 2;
        } else if (!strcmp(word, "call")) {
            unsigned long long entry;
            int nargs;
            if (fscanf(spec, "%llu %d", &entry, &nargs) != 2) return 2;
            Value *frame = stack + 2;
            memset(stack, 0, sizeof stack);
            frame[-2] = (Value){exit_addr, TAG_RAW};
            frame[-1] = (Value){0, TAG_NONE};
            for (int i = 0; i < nargs; i++) {
                unsigned long long tag, bits;
                if (fscanf(spec, "%llu %llu", &tag, &bits) != 2) return 2;
                frame[i] = (Value){bits, tag};
            }
            JitCtx ctx = {0, 0, 1u << 20, (char *)(stack + STACK_SLOTS - 1),
                          (char *)(frame + nargs)};
            int64_t status = ((Shim)(uintptr_t)shim)(frame, &ctx, (uintptr_t)entry);
            printf("%lld %llu %llu\n", (long long)status, (unsigned long long)frame[-1].tag,
                   (unsigned long long)frame[-1].bits);
            fflush(stdout);
        } else {
            return 2;
        }
    }
    return 0;
}
