/* Growing one string by repeated appends: N rounds, each builds a string with 2,000 appends
   of a two-character piece, then 2,000 appends of a decimal number (a doubling buffer). */
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

static char *buf;
static size_t len, cap;

static void push(const char *piece, size_t plen) {
    if (len + plen + 1 > cap) {
        while (len + plen + 1 > cap) {
            cap *= 2;
        }
        buf = realloc(buf, cap);
    }
    memcpy(buf + len, piece, plen);
    len += plen;
    buf[len] = '\0';
}

int main(void) {
    int64_t n = read_n(2000);
    int64_t total = 0, hits = 0;
    cap = 16;
    buf = malloc(cap);
    for (int64_t r = 0; r < n; r++) {
        len = 0;
        buf[0] = '\0';
        for (int i = 0; i < 2000; i++) {
            push("ab", 2);
        }
        for (int64_t i = 0; i < 2000; i++) {
            char piece[32];
            int plen = snprintf(piece, sizeof piece, "%lld", (long long)(i + r));
            push(piece, (size_t)plen);
        }
        total += (int64_t)len;
        if (buf[len / 2 + (size_t)(r % 7)] == '1') {
            hits++;
        }
    }
    printf("%lld %lld\n", (long long)total, (long long)hits);
    free(buf);
    return 0;
}
