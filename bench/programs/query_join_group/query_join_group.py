import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 1000000
    ncust = n // 10
    seed = 42
    orders = []
    for i in range(n):
        seed = (seed * 48271) % 2147483647
        cust = seed % ncust
        seed = (seed * 48271) % 2147483647
        orders.append({"id": i, "cust": cust, "amount": seed % 1000})
    customers = []
    for c in range(ncust):
        customers.append({"id": c, "region": c % 7})
    # 1. Hash join: index the customers by id (a list per key), probe with each order.
    by_id = {}
    for c in customers:
        by_id.setdefault(c["id"], []).append(c)
    total = 0
    for o in orders:
        for c in by_id.get(o["cust"], ()):
            if c["region"] != 3:
                total = total + o["amount"] * c["region"]
    # 2. Group by: a dict of [count, sum, max], in first-seen order.
    groups = {}
    for o in orders:
        k = o["cust"] % 100
        a = o["amount"]
        g = groups.get(k)
        if g is None:
            groups[k] = [1, a, a]
        else:
            g[0] = g[0] + 1
            g[1] = g[1] + a
            if a > g[2]:
                g[2] = a
    gsum = 0
    for k, g in groups.items():
        gsum = (gsum * 31 + k * 7 + g[0] * 3 + g[1] + g[2]) % 1000000007
    # 3. Nested-loop join.
    small = orders[0:n // 200]
    pairs = 0
    for a in small:
        for b in small:
            if a["amount"] + b["amount"] == 999:
                pairs = pairs + 1
    print(total, gsum, pairs)


main()
