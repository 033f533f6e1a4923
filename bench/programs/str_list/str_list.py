# A big heap of small objects: a list of N short strings ("k" + a decimal number), all live
# at once, then one pass reading them back (total length, strings ending in "7").
import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 2000000
    xs = []
    for i in range(n):
        xs.append("k" + str(i * 7 % 1000003))
    total = 0
    sevens = 0
    for s in xs:
        total = total + len(s)
        if s[len(s) - 1] == "7":
            sevens = sevens + 1
    print(len(xs), total, sevens)


main()
