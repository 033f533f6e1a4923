import sys

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 8000000
    s = 0
    p = 1
    for i in range(n):
        s = (s + i * i) % 1000000007
        p = (p * (i % 7 + 1) + i) % 1000003
    print(s + p)

main()
