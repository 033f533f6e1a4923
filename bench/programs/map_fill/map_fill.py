import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 1000000
    m = {}
    for i in range(n):
        m[(i * 7919) % n] = i
    s = 0
    for i in range(n):
        k = (i * 31 + 3) % n
        if k in m:
            s = s + m[k]
            m[k] = m[k] + 1
    for i in range(n):
        k = (i * 17) % (2 * n)
        if k in m:
            s = s + m[k] % 1000
    print(len(m), s)


main()
