"""Reading the same N-rig inventory as CSV, a JSON array and JSON Lines: time and peak memory.

    python benchmarks/json_inventory.py 100000 1000000

Each reading runs in a fresh interpreter so that its peak RSS (VmHWM) is its own; the
figure includes the interpreter and numpy (about 40 MiB). The JSON array is pretty-printed
(indent=2), as exports usually are; it is read whole (see auditor/inventory/json_reader.py),
JSON Lines and CSV are streamed.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))

from generate_inventory import generate  # noqa: E402

READ = """
import sys, time
from auditor.inventory import read_inventories
t = time.perf_counter()
table, sources, rejected, warnings = read_inventories([sys.argv[1]])
elapsed = time.perf_counter() - t
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the (large) parent.
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(f"{len(table)} {len(rejected)} {elapsed:.2f} {rss:.0f}")
"""


def convert(csv_path: Path, json_path: Path, jsonl_path: Path) -> None:
    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(json_path, "w", encoding="utf-8") as out:
        json.dump(rows, out, indent=2)
    with open(jsonl_path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    args = ap.parse_args()
    print(f"{'rows':>9} {'format':<6} {'MiB':>7} {'audited':>9} {'rejected':>8} {'seconds':>8} {'rows/s':>9} {'peak RSS MiB':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            paths = {fmt: Path(tmp, f"inv_{n}.{fmt}") for fmt in ("csv", "json", "jsonl")}
            with open(paths["csv"], "w", encoding="utf-8", newline="") as out:
                generate(n, out)
            convert(paths["csv"], paths["json"], paths["jsonl"])
            for fmt, path in paths.items():
                proc = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True,
                                      cwd=REPO, check=True)
                audited, rejected, seconds, rss = proc.stdout.split()
                size = path.stat().st_size / 2**20
                rate = n / float(seconds)
                print(f"{n:>9} {fmt:<6} {size:>7.0f} {audited:>9} {rejected:>8} {seconds:>8} {rate:>9,.0f} {rss:>12}")


if __name__ == "__main__":
    main()
