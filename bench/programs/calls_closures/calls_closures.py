import sys


def add(a, b):
    return a + b


def apply(f, x):
    return f(x)


def make_adder(k):
    return lambda x: x + k


def compose(f, g):
    return lambda x: f(g(x))


def make_counter():
    n = 0

    def inc():
        nonlocal n
        n = n + 1
        return n

    return inc


def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 2000000
    counter = make_counter()
    adders = []
    for k in range(7):
        adders.append(make_adder(k * 3))
    total = 0
    for i in range(n):
        f = make_adder(i % 10)
        g = compose(f, adders[i % 7])
        total = (total + apply(g, i) + add(i, 1) + counter()) % 1000003
    print(total, counter())


main()
