import sys

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 35
    print(fib(n))

main()
