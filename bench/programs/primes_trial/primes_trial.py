import sys

def is_prime(k):
    if k < 2:
        return False
    if k % 2 == 0:
        return k == 2
    d = 3
    while d * d <= k:
        if k % d == 0:
            return False
        d = d + 2
    return True

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 800000
    count = 0
    last = 0
    for k in range(n):
        if is_prime(k):
            count = count + 1
            last = k
    print(count, last)

main()
