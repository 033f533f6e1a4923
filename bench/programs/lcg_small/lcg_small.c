/* Linear congruential loop x = (x * 31 + 7) % m with m = 2^40: every value stays a small int (the baseline for lcg_wide). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t read_n(int64_t dflt) {
    char buf[64];
    if (fgets(buf, sizeof buf, stdin) != NULL && buf[0] != '\n' && buf[0] != '\0') {
        return strtoll(buf, NULL, 10);
    }
    return dflt;
}

int main(void) {
    int64_t n = read_n(10000000);
    int64_t m = 1;
    for (int i = 0; i < 40; i++) {
        m = m * 2;
    }
    int64_t half = m / 2;
    int64_t x = 12345;
    int64_t high = 0;
    for (int64_t i = 0; i < n; i++) {
        x = (x * 31 + 7) % m;
        if (x >= half) {
            high++;
        }
    }
    printf("%lld %lld\n", (long long)x, (long long)high);
    return 0;
}
