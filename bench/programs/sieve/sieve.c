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
    int64_t n = read_n(4000000);
    /* Grow the flag array by doubling, as the other versions do; only the
     * first n + 1 entries are used. */
    int64_t len = 1;
    char *flags = malloc(1);
    flags[0] = 1;
    while (len < n + 1) {
        flags = realloc(flags, (size_t)(2 * len));
        memcpy(flags + len, flags, (size_t)len);
        len *= 2;
    }
    int64_t total = 0;
    for (int rep = 0; rep < 3; rep++) {
        for (int64_t i = 0; i <= n; i++) {
            flags[i] = 1;
        }
        flags[0] = 0;
        flags[1] = 0;
        for (int64_t i = 2; i * i <= n; i++) {
            if (flags[i]) {
                for (int64_t j = i * i; j <= n; j += i) {
                    flags[j] = 0;
                }
            }
        }
        int64_t count = 0;
        for (int64_t i = 0; i <= n; i++) {
            if (flags[i]) {
                count++;
            }
        }
        total += count;
    }
    printf("%lld\n", (long long)total);
    free(flags);
    return 0;
}
