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

int main(void) {
    int64_t n = read_n(8000);
    int64_t total = 0;
    for (int64_t r = 0; r < n; r++) {
        size_t len = 0, cap = 4;
        int64_t *xs = malloc(sizeof(int64_t) * cap);
        for (int64_t i = 0; i < 1000; i++) {
            if (len == cap) {
                cap *= 2;
                xs = realloc(xs, sizeof(int64_t) * cap);
            }
            xs[len++] = (i * r + 7) % 1000;
        }
        int64_t s = 0;
        for (size_t i = 0; i < len; i++) {
            s += xs[i];
        }
        for (int64_t i = 0; i < 1000; i++) {
            s += xs[i] * (i % 3);
        }
        total += s;
        free(xs);
    }
    printf("%lld\n", (long long)total);
    return 0;
}
