import sys

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 4000000
    flags = []
    for i in range(n + 1):
        flags.append(True)
    total = 0
    for rep in range(3):
        for i in range(n + 1):
            flags[i] = True
        flags[0] = False
        flags[1] = False
        i = 2
        while i * i <= n:
            if flags[i]:
                j = i * i
                while j <= n:
                    flags[j] = False
                    j = j + i
            i = i + 1
        count = 0
        for i in range(n + 1):
            if flags[i]:
                count = count + 1
        total = total + count
    print(total)

main()
