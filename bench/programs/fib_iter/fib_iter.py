import sys

def fib_mod(n, m):
    a = 0
    b = 1
    for i in range(n):
        t = (a + b) % m
        a = b
        b = t
    return a

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 200000
    total = 0
    for r in range(n):
        total = (total + fib_mod(100 + r % 50, 1000003)) % 1000000007
    print(total)

main()
