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

static int64_t **make(int64_t n, int64_t seed) {
    int64_t **m = malloc(sizeof(int64_t *) * (size_t)n);
    for (int64_t i = 0; i < n; i++) {
        m[i] = malloc(sizeof(int64_t) * (size_t)n);
        for (int64_t j = 0; j < n; j++) {
            m[i][j] = (i * j + seed * i + j) % 17 - 8;
        }
    }
    return m;
}

static int64_t **mul(int64_t **a, int64_t **b, int64_t n) {
    int64_t **c = malloc(sizeof(int64_t *) * (size_t)n);
    for (int64_t i = 0; i < n; i++) {
        int64_t *ai = a[i];
        c[i] = malloc(sizeof(int64_t) * (size_t)n);
        for (int64_t j = 0; j < n; j++) {
            int64_t s = 0;
            for (int64_t k = 0; k < n; k++) {
                s += ai[k] * b[k][j];
            }
            c[i][j] = s;
        }
    }
    return c;
}

int main(void) {
    int64_t n = read_n(300);
    int64_t **a = make(n, 3);
    int64_t **b = make(n, 5);
    int64_t **c = mul(a, b, n);
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) {
        for (int64_t j = 0; j < n; j++) {
            total += c[i][j] * ((i + 2 * j) % 7 + 1);
        }
    }
    printf("%lld\n", (long long)total);
    return 0;
}
