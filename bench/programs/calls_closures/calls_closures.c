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

/* Closures as (code, environment) pairs: an adder captures k, a composition
 * captures two closures, and the counter captures a mutable cell. */
typedef struct Closure Closure;
struct Closure {
    int64_t (*code)(const Closure *self, int64_t x);
    int64_t k;
    const Closure *f;
    const Closure *g;
};

static int64_t add(int64_t a, int64_t b) {
    return a + b;
}

static int64_t call(const Closure *c, int64_t x) {
    return c->code(c, x);
}

static int64_t apply(const Closure *f, int64_t x) {
    return call(f, x);
}

static int64_t adder_code(const Closure *self, int64_t x) {
    return x + self->k;
}

static Closure make_adder(int64_t k) {
    Closure c = {adder_code, k, NULL, NULL};
    return c;
}

static int64_t compose_code(const Closure *self, int64_t x) {
    return call(self->f, call(self->g, x));
}

static Closure compose(const Closure *f, const Closure *g) {
    Closure c = {compose_code, 0, f, g};
    return c;
}

static int64_t counter(int64_t *cell) {
    *cell = *cell + 1;
    return *cell;
}

int main(void) {
    int64_t n = read_n(2000000);
    int64_t *cell = malloc(sizeof(int64_t));
    *cell = 0;
    Closure adders[7];
    for (int64_t k = 0; k < 7; k++) {
        adders[k] = make_adder(k * 3);
    }
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) {
        Closure f = make_adder(i % 10);
        Closure g = compose(&f, &adders[i % 7]);
        total = (total + apply(&g, i) + add(i, 1) + counter(cell)) % 1000003;
    }
    int64_t last = counter(cell);
    printf("%lld %lld\n", (long long)total, (long long)last);
    free(cell);
    return 0;
}
