# Linear congruential loop x = (x * 31 + 7) % m with m = 2^40: every value stays a small int (the baseline for lcg_wide).
import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 10000000
    m = 1
    for i in range(40):
        m = m * 2
    half = m // 2
    x = 12345
    high = 0
    for i in range(n):
        x = (x * 31 + 7) % m
        if x >= half:
            high = high + 1
    print(x, high)


main()
