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

static void fannkuch(int64_t n, int64_t *checksum_out, int64_t *max_flips_out) {
    int64_t *perm = calloc((size_t)n + 1, sizeof(int64_t));
    int64_t *perm1 = calloc((size_t)n + 1, sizeof(int64_t));
    int64_t *count = calloc((size_t)n + 1, sizeof(int64_t));
    for (int64_t i = 0; i < n; i++) {
        perm1[i] = i;
    }
    int64_t max_flips = 0, checksum = 0, perm_count = 0, r = n;
    for (;;) {
        while (r != 1) {
            count[r - 1] = r;
            r--;
        }
        for (int64_t i = 0; i < n; i++) {
            perm[i] = perm1[i];
        }
        int64_t flips = 0;
        int64_t k = perm[0];
        while (k != 0) {
            int64_t i = 0, j = k;
            while (i < j) {
                int64_t t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                i++;
                j--;
            }
            flips++;
            k = perm[0];
        }
        if (flips > max_flips) {
            max_flips = flips;
        }
        if (perm_count % 2 == 0) {
            checksum += flips;
        } else {
            checksum -= flips;
        }
        for (;;) {
            if (r == n) {
                *checksum_out = checksum;
                *max_flips_out = max_flips;
                free(perm);
                free(perm1);
                free(count);
                return;
            }
            int64_t perm0 = perm1[0];
            for (int64_t i = 0; i < r; i++) {
                perm1[i] = perm1[i + 1];
            }
            perm1[r] = perm0;
            count[r]--;
            if (count[r] > 0) {
                break;
            }
            r++;
        }
        perm_count++;
    }
}

int main(void) {
    int64_t n = read_n(9);
    int64_t checksum = 0, max_flips = 0;
    for (int rep = 0; rep < 3; rep++) {
        int64_t c, m;
        fannkuch(n, &c, &m);
        checksum += c;
        if (m > max_flips) {
            max_flips = m;
        }
    }
    printf("%lld %lld\n", (long long)checksum, (long long)max_flips);
    return 0;
}
