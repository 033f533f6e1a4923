/* A big heap of small objects: an array of N short strings ("k" + a decimal number), each its
   own malloc, all live at once, then one pass reading them back. */
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
    int64_t n = read_n(2000000);
    size_t len = 0, cap = 16;
    char **xs = malloc(cap * sizeof *xs);
    for (int64_t i = 0; i < n; i++) {
        char piece[32];
        int plen = snprintf(piece, sizeof piece, "k%lld", (long long)(i * 7 % 1000003));
        if (len == cap) {
            cap *= 2;
            xs = realloc(xs, cap * sizeof *xs);
        }
        xs[len] = malloc((size_t)plen + 1);
        memcpy(xs[len], piece, (size_t)plen + 1);
        len++;
    }
    int64_t total = 0, sevens = 0;
    for (size_t i = 0; i < len; i++) {
        size_t sl = strlen(xs[i]);
        total += (int64_t)sl;
        if (xs[i][sl - 1] == '7') {
            sevens++;
        }
    }
    printf("%zu %lld %lld\n", len, (long long)total, (long long)sevens);
    for (size_t i = 0; i < len; i++) {
        free(xs[i]);
    }
    free(xs);
    return 0;
}
