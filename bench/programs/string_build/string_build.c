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
    int64_t n = read_n(80000);
    int64_t total = 0, hits = 0;
    size_t cap = 16;
    char *s = malloc(cap);
    for (int64_t r = 0; r < n; r++) {
        size_t len = 0;
        s[0] = '\0';
        for (int64_t i = 0; i < 100; i++) {
            char piece[32];
            int plen = snprintf(piece, sizeof piece, "%lld,", (long long)((i * r + 7) % 1000));
            if (len + (size_t)plen + 1 > cap) {
                while (len + (size_t)plen + 1 > cap) {
                    cap *= 2;
                }
                s = realloc(s, cap);
            }
            memcpy(s + len, piece, (size_t)plen + 1);
            len += (size_t)plen;
        }
        total += (int64_t)len;
        if (s[len - 2] == '9') {
            hits++;
        }
    }
    printf("%lld %lld\n", (long long)total, (long long)hits);
    free(s);
    return 0;
}
