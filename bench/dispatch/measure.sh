#!/bin/bash
# The dispatch baseline (ARCHITECTURE.md, "dispatch baseline"): callgrind instructions per
# call of a recursive fib and per iteration of a `while` loop over two globals (10 ops), in
# each execution mode, net of start-up (the difference between two sizes).
#   bench/dispatch/measure.sh [MOCHI]     (default: target/release/mochi; needs valgrind)
set -euo pipefail
bin=${1:-target/release/mochi}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for n in 20 25; do
  printf 'fun fib(n: int): int {\n  if n < 2 { return n }\n  return fib(n - 1) + fib(n - 2)\n}\nprint(fib(%d))\n' "$n" > "$dir/fib$n.mochi"
done
for n in 100000 200000; do
  printf 'var i = 0\nvar s = 0\nwhile i < %d {\n  s = s + i\n  i = i + 1\n}\nprint(s)\n' "$n" > "$dir/loop$n.mochi"
done
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" run "--jit=$1" "$2" 2>&1 >/dev/null |
    awk '/refs:/ { gsub(",", "", $4); print $4 }'
}
# fib(n) makes 2 fib(n+1) - 1 calls: 21,891 for n = 20, 242,785 for n = 25.
echo "| mode | fib: instructions per call | while loop: instructions per iteration |"
echo "|---|---:|---:|"
for mode in off always on; do
  f20=$(count "$mode" "$dir/fib20.mochi"); f25=$(count "$mode" "$dir/fib25.mochi")
  l1=$(count "$mode" "$dir/loop100000.mochi"); l2=$(count "$mode" "$dir/loop200000.mochi")
  awk -v m="$mode" -v a="$f20" -v b="$f25" -v c="$l1" -v d="$l2" \
    'BEGIN { printf "| %s | %.1f | %.1f |\n", m, (b - a) / (242785 - 21891), (d - c) / 100000 }'
done
