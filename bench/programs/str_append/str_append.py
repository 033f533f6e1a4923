# Growing one string by repeated appends: N rounds, each builds a string with 2,000
# `s = s + t` steps of a two-character piece, then 2,000 `s = s + str(i)` steps.
import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 2000
    t = "ab"
    total = 0
    hits = 0
    for r in range(n):
        s = ""
        for i in range(2000):
            s = s + t
        for i in range(2000):
            s = s + str(i + r)
        total = total + len(s)
        if s[len(s) // 2 + r % 7] == "1":
            hits = hits + 1
    print(total, hits)


main()
