#include <stdio.h>
#include <stdlib.h>

typedef struct { long id, cust, amount; } Order;
typedef struct { long id, region; } Customer;

int main(void) {
    char line[64];
    long n = 1000000;
    if (fgets(line, sizeof line, stdin) && line[0] != '\n' && line[0] != 0) n = atol(line);
    long ncust = n / 10;
    long seed = 42;
    Order *orders = malloc(sizeof(Order) * n);
    for (long i = 0; i < n; i++) {
        seed = (seed * 48271) % 2147483647;
        long cust = seed % ncust;
        seed = (seed * 48271) % 2147483647;
        orders[i] = (Order){i, cust, seed % 1000};
    }
    Customer *customers = malloc(sizeof(Customer) * ncust);
    for (long c = 0; c < ncust; c++) customers[c] = (Customer){c, c % 7};
    /* 1. Hash join: ids are dense, so the index is an array of positions. */
    long *by_id = malloc(sizeof(long) * ncust);
    for (long c = 0; c < ncust; c++) by_id[customers[c].id] = c;
    long total = 0;
    for (long i = 0; i < n; i++) {
        Customer *c = &customers[by_id[orders[i].cust]];
        if (c->region != 3) total += orders[i].amount * c->region;
    }
    /* 2. Group by: arrays indexed by key, keys in first-seen order. */
    long count[100] = {0}, sum[100] = {0}, max[100] = {0}, order[100], ngroups = 0;
    for (long i = 0; i < n; i++) {
        long k = orders[i].cust % 100, a = orders[i].amount;
        if (count[k] == 0) { order[ngroups++] = k; max[k] = a; }
        count[k]++;
        sum[k] += a;
        if (a > max[k]) max[k] = a;
    }
    long gsum = 0;
    for (long i = 0; i < ngroups; i++) {
        long k = order[i];
        gsum = (gsum * 31 + k * 7 + count[k] * 3 + sum[k] + max[k]) % 1000000007;
    }
    /* 3. Nested-loop join. */
    long m = n / 200, pairs = 0;
    for (long i = 0; i < m; i++)
        for (long j = 0; j < m; j++)
            if (orders[i].amount + orders[j].amount == 999) pairs++;
    printf("%ld %ld %ld\n", total, gsum, pairs);
    free(orders); free(customers); free(by_id);
    return 0;
}
