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
    int64_t n = read_n(8000000);
    int64_t s = 0, p = 1;
    for (int64_t i = 0; i < n; i++) {
        s = (s + i * i) % 1000000007;
        p = (p * (i % 7 + 1) + i) % 1000003;
    }
    printf("%lld\n", (long long)(s + p));
    return 0;
}
