import sys

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 4000000
    limit = n + 1
    # Grow the flag list by doubling concatenation (O(n) in total even where
    # append copies); only the first `limit` entries are used.
    flags = [True]
    while len(flags) < limit:
        flags = flags + flags
    total = 0
    for rep in range(3):
        for i in range(limit):
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
        for i in range(limit):
            if flags[i]:
                count = count + 1
        total = total + count
    print(total)

main()
