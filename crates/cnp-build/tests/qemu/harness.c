// Runs a stitched aarch64 image under qemu-aarch64 (see tests/aarch64_qemu.rs).
//   harness            prints the address of `mul`
//   harness IMAGE BASE maps IMAGE at BASE (RW, then RX), calls it with a frame of 8 slots
//                      and prints "RESULT SLOT4"
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int64_t mul(int64_t a, int64_t b) { return a * b; }

static unsigned char image[1 << 20];

int main(int argc, char **argv) {
    if (argc < 3) {
        printf("%llu\n", (unsigned long long)(uintptr_t)&mul);
        return 0;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) return 2;
    size_t len = fread(image, 1, sizeof image, file);
    fclose(file);
    uintptr_t base = (uintptr_t)strtoull(argv[2], 0, 0);
    void *code = mmap((void *)base, sizeof image, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (code != (void *)base) return 3;
    memcpy(code, image, len);
    __builtin___clear_cache((char *)code, (char *)code + len);
    if (mprotect(code, sizeof image, PROT_READ | PROT_EXEC) != 0) return 4;
    int64_t frame[8] = {0};
    int64_t (*entry)(int64_t *) = (int64_t (*)(int64_t *))code;
    int64_t result = entry(frame);
    printf("%lld %lld\n", (long long)result, (long long)frame[4]);
    return 0;
}
