import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 80000
    total = 0
    hits = 0
    for r in range(n):
        s = ""
        for i in range(100):
            s = s + str((i * r + 7) % 1000) + ","
        total = total + len(s)
        if s[len(s) - 2] == "9":
            hits = hits + 1
    print(total, hits)


main()
