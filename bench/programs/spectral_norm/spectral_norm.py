import sys


def sqrt_newton(x):
    if x <= 0.0:
        return 0.0
    r = x if x > 1.0 else 1.0
    while True:
        nr = 0.5 * (r + x / r)
        if nr >= r:
            return r
        r = nr


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(v, n):
    out = []
    for i in range(n):
        s = 0.0
        for j in range(n):
            s = s + eval_a(i, j) * v[j]
        out.append(s)
    return out


def mul_atv(v, n):
    out = []
    for i in range(n):
        s = 0.0
        for j in range(n):
            s = s + eval_a(j, i) * v[j]
        out.append(s)
    return out


def mul_atav(v, n):
    return mul_atv(mul_av(v, n), n)


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 400
    u = []
    for i in range(n):
        u.append(1.0)
    v = []
    for i in range(10):
        v = mul_atav(u, n)
        u = mul_atav(v, n)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv = vbv + u[i] * v[i]
        vv = vv + v[i] * v[i]
    print(int(sqrt_newton(vbv / vv) * 1000000000.0))


main()
