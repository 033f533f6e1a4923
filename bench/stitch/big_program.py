#!/usr/bin/env python3
"""Writes a large Mochi program for measuring stitching speed (`mochi run --jit-stats`).

    python3 bench/stitch/big_program.py [FUNCTIONS] > /tmp/big.mochi

Each function mixes the op kinds ordinary code has (int and float arithmetic, compares and
branches, loops, calls, lists, maps, strings, struct fields), cycling through four shapes so
the stencil mix is not one function repeated. The default 2,000 functions give ~48,000 ops.
Deterministic: the same FUNCTIONS always writes the same program.
"""
import sys


def function(i):
    shape = i % 4
    callee = f"f{i - 1}" if i > 0 else None
    call = f"{callee}(a - 1, b)" if callee else "a"
    if shape == 0:
        return f"""fun f{i}(a: int, b: int): int {{
  var s = 0
  for k in 0..b {{
    if k % 3 == 0 {{ s = s + a * k }} else {{ s = s - k }}
  }}
  let xs = [a, b, s]
  if a > 0 {{ s = s + {call} }}
  return s + len(xs) + xs[1]
}}
"""
    if shape == 1:
        return f"""fun f{i}(a: int, b: int): int {{
  var x = a as float
  var y = 0.5
  var n = 0
  while n < b {{
    y = y * 0.75 + x / 3.0
    x = x - 1.0
    n = n + 1
  }}
  var r = (y * 100.0) as int
  if a > 0 {{ r = r + {call} }}
  return r % 1000
}}
"""
    if shape == 2:
        return f"""fun f{i}(a: int, b: int): int {{
  var m: map<int, int> = {{}}
  for k in 0..b {{
    m[k] = k * a
  }}
  var s = ""
  for k in 0..3 {{
    s = s + str(k + a)
  }}
  var t = len(s)
  if b in m {{ t = t + m[b] }}
  if a > 0 {{ t = t + {call} }}
  return t
}}
"""
    return f"""fun f{i}(a: int, b: int): int {{
  let p = P{{x: a, y: b}}
  var q = p.x * 2 + p.y
  let ys = [1, 2, 3, 4]
  for v in ys {{
    q = q + v
    if q > 100000 {{ q = q - 100000 }}
  }}
  if a > 0 {{ q = q + {call} }}
  return q
}}
"""


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    out = ["type P {\n  x: int\n  y: int\n}\n"]
    for i in range(n):
        out.append(function(i))
    out.append("var total = 0\n")
    out.append(f"for i in 0..{min(n, 50)} {{\n  total = total + f{n - 1}(2, 3)\n}}\n")
    out.append("print(total)\n")
    sys.stdout.write("".join(out))


main()
