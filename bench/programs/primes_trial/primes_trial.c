#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t read_n(int64_t dflt) {
    char buf[64];
    if (fgets(buf, sizeof buf, stdin) != NULL && buf[0] != '\n' && buf[0] != '\0') {
        return strtoll(buf, NULL, 10);
    }
    return dflt;
}

static int is_prime(int64_t k) {
    if (k < 2) {
        return 0;
    }
    if (k % 2 == 0) {
        return k == 2;
    }
    for (int64_t d = 3; d * d <= k; d += 2) {
        if (k % d == 0) {
            return 0;
        }
    }
    return 1;
}

int main(void) {
    int64_t n = read_n(800000);
    int64_t count = 0, last = 0;
    for (int64_t k = 0; k < n; k++) {
        if (is_prime(k)) {
            count++;
            last = k;
        }
    }
    printf("%lld %lld\n", (long long)count, (long long)last);
    return 0;
}
