import sys

def main():
    line = sys.stdin.readline().strip()
    n = int(line) if line else 800
    max_iter = 50
    inside = 0
    total_iter = 0
    for py in range(n):
        ci = 2.0 * py / n - 1.0
        for px in range(n):
            cr = 2.5 * px / n - 2.0
            zr = 0.0
            zi = 0.0
            it = 0
            while it < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                it = it + 1
            if it == max_iter:
                inside = inside + 1
            total_iter = total_iter + it
    print(inside, total_iter)

main()
