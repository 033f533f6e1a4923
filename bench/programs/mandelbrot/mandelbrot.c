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
    int64_t n = read_n(800);
    const int64_t max_iter = 50;
    int64_t inside = 0, total_iter = 0;
    for (int64_t py = 0; py < n; py++) {
        double ci = 2.0 * (double)py / (double)n - 1.0;
        for (int64_t px = 0; px < n; px++) {
            double cr = 2.5 * (double)px / (double)n - 2.0;
            double zr = 0.0, zi = 0.0;
            int64_t it = 0;
            while (it < max_iter && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                it++;
            }
            if (it == max_iter) {
                inside++;
            }
            total_iter += it;
        }
    }
    printf("%lld %lld\n", (long long)inside, (long long)total_iter);
    return 0;
}
