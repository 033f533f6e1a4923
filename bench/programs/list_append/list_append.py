import sys


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 8000
    total = 0
    for r in range(n):
        xs = []
        for i in range(1000):
            xs.append((i * r + 7) % 1000)
        s = 0
        for x in xs:
            s = s + x
        for i in range(1000):
            s = s + xs[i] * (i % 3)
        total = total + s
    print(total)


main()
