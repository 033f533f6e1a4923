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

static int64_t fib_mod(int64_t n, int64_t m) {
    int64_t a = 0, b = 1;
    for (int64_t i = 0; i < n; i++) {
        int64_t t = (a + b) % m;
        a = b;
        b = t;
    }
    return a;
}

int main(void) {
    int64_t n = read_n(200000);
    int64_t total = 0;
    for (int64_t r = 0; r < n; r++) {
        total = (total + fib_mod(100 + r % 50, 1000003)) % 1000000007;
    }
    printf("%lld\n", (long long)total);
    return 0;
}
