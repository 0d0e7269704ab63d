"""Audit synthetic fleets and print rigs per second and peak memory.

    python benchmarks/audit_scale.py 100000 1000000 [--format json] [--rules DIR …]

Each size runs `auditor audit` in a fresh process (so peak RSS is that audit's own), with
JSON output, after generating the inventory with generate_inventory.py. Target (issue 2):
1,000,000 rigs in <= 30 s and <= 2 GB peak on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from generate_inventory import generate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--format", default="json")
    ap.add_argument("--rules", action="append", default=[])
    ap.add_argument("--as-of", default="2026-11-26")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO), "AUDITOR_DB": f"sqlite:///{tmp}/bench.db"}
        print(f"{'rigs':>10} {'seconds':>8} {'rigs/s':>10} {'peak MB':>8} {'report MB':>9}  exit")
        for n in args.sizes:
            inv = Path(tmp) / f"inv_{n}.csv"
            with open(inv, "w", encoding="utf-8", newline="") as f:
                generate(n, f)
            out = Path(tmp) / f"out_{n}"
            cmd = [sys.executable, "-m", "auditor", "audit", str(inv), "--out", str(out), "--format", args.format,
                   "--as-of", args.as_of, "--quiet", "--no-record"]
            for r in args.rules:
                cmd += ["--rules", r]
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - t0
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if proc.returncode not in (0, 1):
                print(proc.stderr, file=sys.stderr)
            size = sum(p.stat().st_size for p in out.iterdir()) / 1e6 if out.exists() else 0
            peak = max(peak_kb, before) / 1024
            print(f"{n:>10,} {elapsed:>8.2f} {n / elapsed:>10,.0f} {peak:>8.0f} {size:>9.1f}  {proc.returncode}")
            print(f"           {proc.stdout.strip()}")
            inv.unlink()


if __name__ == "__main__":
    main()
