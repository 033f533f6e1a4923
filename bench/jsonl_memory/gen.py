"""Writes a JSON Lines file of N deterministic rows (default: about 100 MB).

    python3 bench/jsonl_memory/gen.py /tmp/rows.jsonl [N]
"""
import json
import sys

CITIES = ["Oslo", "Lima", "Pune", "Kyiv", "Doha", "Riga", "Baku", "Suva"]


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 960_000
    seed = 7
    with open(path, "w") as f:
        for i in range(n):
            seed = (seed * 48271) % 2147483647
            row = {
                "id": i,
                "name": "user%07d" % (seed % 10_000_000),
                "city": CITIES[seed % len(CITIES)],
                "score": (seed % 100_000) / 100,
                "active": seed % 3 != 0,
                "note": "x" * (seed % 12),
            }
            f.write(json.dumps(row) + "\n")


main()
