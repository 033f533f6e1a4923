import sys


def make(d):
    if d == 0:
        return (None, None)
    return (make(d - 1), make(d - 1))


def check(t):
    left, right = t
    if left is None:
        return 1
    return 1 + check(left) + check(right)


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 16
    min_depth = 4
    max_depth = n if n > min_depth + 2 else min_depth + 2
    total = check(make(max_depth + 1))
    long_lived = make(max_depth)
    d = min_depth
    while d <= max_depth:
        iters = 1
        for i in range(max_depth - d + min_depth):
            iters = iters * 2
        c = 0
        for i in range(iters):
            c = c + check(make(d))
        total = total + c * (d + 1)
        d = d + 2
    total = total + check(long_lived)
    print(total)


main()
