/* An int-keyed map of N entries, dense keys 0..N-1: fill it, then sum every value by lookup;
   three rounds, each with a fresh map (open addressing, as in map_fill.c). */
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

/* An open-addressing hash map from int64 keys to int64 values. */
typedef struct {
    int64_t *keys;
    int64_t *vals;
    char *used;
    size_t cap;
    size_t len;
} Map;

static size_t slot_of(const Map *m, int64_t key) {
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (m->cap - 1);
    while (m->used[i] && m->keys[i] != key) {
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

static void map_init(Map *m, size_t cap) {
    m->cap = cap;
    m->len = 0;
    m->keys = malloc(sizeof(int64_t) * cap);
    m->vals = malloc(sizeof(int64_t) * cap);
    m->used = calloc(cap, 1);
}

static void map_put(Map *m, int64_t key, int64_t val);

static void map_grow(Map *m) {
    Map old = *m;
    map_init(m, old.cap * 2);
    for (size_t i = 0; i < old.cap; i++) {
        if (old.used[i]) {
            map_put(m, old.keys[i], old.vals[i]);
        }
    }
    free(old.keys);
    free(old.vals);
    free(old.used);
}

static void map_put(Map *m, int64_t key, int64_t val) {
    if ((m->len + 1) * 2 > m->cap) {
        map_grow(m);
    }
    size_t i = slot_of(m, key);
    if (!m->used[i]) {
        m->used[i] = 1;
        m->keys[i] = key;
        m->len++;
    }
    m->vals[i] = val;
}

static int64_t *map_get(const Map *m, int64_t key) {
    size_t i = slot_of(m, key);
    return m->used[i] ? &m->vals[i] : NULL;
}

static void map_free(Map *m) {
    free(m->keys);
    free(m->vals);
    free(m->used);
}

int main(void) {
    int64_t n = read_n(1000000);
    int64_t total = 0, size = 0;
    for (int64_t r = 0; r < 3; r++) {
        Map m;
        map_init(&m, 16);
        for (int64_t i = 0; i < n; i++) {
            map_put(&m, i, i + r);
        }
        int64_t s = 0;
        for (int64_t i = 0; i < n; i++) {
            s += *map_get(&m, i);
        }
        total += s;
        size += (int64_t)m.len;
        map_free(&m);
    }
    printf("%lld %lld\n", (long long)size, (long long)total);
    return 0;
}
