import sys

def make(n, seed):
    m = []
    for i in range(n):
        row = []
        for j in range(n):
            row.append((i * j + seed * i + j) % 17 - 8)
        m.append(row)
    return m

def mul(a, b, n):
    c = []
    for i in range(n):
        ai = a[i]
        row = []
        for j in range(n):
            s = 0
            for k in range(n):
                s = s + ai[k] * b[k][j]
            row.append(s)
        c.append(row)
    return c

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 300
    a = make(n, 3)
    b = make(n, 5)
    c = mul(a, b, n)
    total = 0
    for i in range(n):
        for j in range(n):
            total = total + c[i][j] * ((i + 2 * j) % 7 + 1)
    print(total)

main()
