# An int-keyed dict of N entries, dense keys 0..N-1: fill it, then sum every value by lookup;
# three rounds, each with a fresh dict.
import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 1000000
    total = 0
    size = 0
    for r in range(3):
        m = {}
        for i in range(n):
            m[i] = i + r
        s = 0
        for i in range(n):
            s = s + m[i]
        total = total + s
        size = size + len(m)
    print(size, total)


main()
