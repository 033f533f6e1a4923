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

typedef struct Node {
    struct Node *left, *right;
} Node;

static Node *make(int64_t d) {
    Node *t = malloc(sizeof(Node));
    if (d == 0) {
        t->left = NULL;
        t->right = NULL;
    } else {
        t->left = make(d - 1);
        t->right = make(d - 1);
    }
    return t;
}

static int64_t check(const Node *t) {
    if (t->left == NULL) {
        return 1;
    }
    return 1 + check(t->left) + check(t->right);
}

static void release(Node *t) {
    if (t->left != NULL) {
        release(t->left);
        release(t->right);
    }
    free(t);
}

int main(void) {
    int64_t n = read_n(16);
    int64_t min_depth = 4;
    int64_t max_depth = n > min_depth + 2 ? n : min_depth + 2;
    Node *stretch = make(max_depth + 1);
    int64_t total = check(stretch);
    release(stretch);
    Node *long_lived = make(max_depth);
    for (int64_t d = min_depth; d <= max_depth; d += 2) {
        int64_t iters = 1;
        for (int64_t i = 0; i < max_depth - d + min_depth; i++) {
            iters *= 2;
        }
        int64_t c = 0;
        for (int64_t i = 0; i < iters; i++) {
            Node *t = make(d);
            c += check(t);
            release(t);
        }
        total += c * (d + 1);
    }
    total += check(long_lived);
    release(long_lived);
    printf("%lld\n", (long long)total);
    return 0;
}
