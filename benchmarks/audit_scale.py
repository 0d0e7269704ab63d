"""Audit synthetic fleets; print wall time, peak memory and output sizes beside a baseline.

    python benchmarks/audit_scale.py 200000 1000000 [--format json] [--rules DIR …] [--sign]

For each size, in this order and in fresh processes (so each peak RSS is that process's own):
1. the inventory is generated with generate_inventory.py (realistic cardinalities);
2. BASELINE: Python's `csv.reader` iterates the same file and touches every cell — the floor
   any CSV-based audit is measured against on this machine, measured in the same run;
3. `auditor audit` with `--quiet --no-record` and the requested formats, against a lists and
   history database created before the timings (`auditor db upgrade`).

Targets (issue 15): 1,000,000 rigs with `--format json` in <= 10 s and <= 6x the baseline,
peak RSS <= 1 GB, report.json <= 500 MB; 200,000 rigs with `--format sarif`: <= 25,000 results
and <= 10 MB gzipped (printed for sarif runs); 100,000 rigs `--format pdf --sign` <= 10 s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from generate_inventory import generate  # noqa: E402

BASELINE = """
import csv, sys
n = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        for cell in row:
            n += len(cell)
print(n)
"""


def run_measured(cmd: list[str], env: dict, stdin=None) -> tuple[float, float, int, str, float]:
    """(wall seconds, peak RSS MB of that process alone, exit code, its output, CPU seconds).

    CPU seconds (user + system, its threads and reaped children included) say how much work
    the run was when the wall time also holds waits for a CPU other processes were using."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=stdin)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), text, cpu


def sarif_figures(path: Path) -> str:
    raw = path.read_bytes()
    results = len(json.loads(raw)["runs"][0]["results"])
    return f"sarif: {results:,} results, {len(gzip.compress(raw)) / 1e6:.1f} MB gzipped"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--format", default="json")
    ap.add_argument("--rules", action="append", default=[])
    ap.add_argument("--as-of", default="2026-11-26")
    ap.add_argument("--sign", action="store_true", help="sign with a throwaway key (keys generate)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO), "AUDITOR_DB": f"sqlite:///{tmp}/bench.db"}
        # The database is created once, before anything is timed: an officer's audits meet an
        # existing one (creating it is a one-time cost, printed here).
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "auditor", "db", "upgrade"], env=env, check=True, capture_output=True)
        print(f"database created in {time.perf_counter() - t0:.2f} s (once, not in the figures below)")
        extra: list[str] = []
        if args.sign:
            env["AUDITOR_KEY_PASSPHRASE"] = "benchmark-only-passphrase"
            subprocess.run([sys.executable, "-m", "auditor", "keys", "generate", "--out", f"{tmp}/keys",
                            "--org", "Benchmark"], env=env, check=True, capture_output=True)
            extra = ["--sign", "--key", f"{tmp}/keys"]
        print(f"format {args.format}{' (signed)' if args.sign else ''}; as of {args.as_of}")
        print(f"load average {os.getloadavg()[0]:.1f} (other processes' work shows in wall times, not in CPU)")
        print(f"{'rigs':>10} {'csv.reader s':>12} {'audit s':>8} {'ratio':>6} {'CPU s':>6} {'peak MB':>8}  exit  outputs")
        for n in args.sizes:
            inv = Path(tmp) / f"inv_{n}.csv"
            with open(inv, "w", encoding="utf-8", newline="") as f:
                generate(n, f)
            base_s, _, _, _, _ = run_measured([sys.executable, "-c", BASELINE, str(inv)], env)
            out = Path(tmp) / f"out_{n}"
            cmd = [sys.executable, "-m", "auditor", "audit", str(inv), "--out", str(out), "--format", args.format,
                   "--as-of", args.as_of, "--quiet", "--no-record", *extra]
            for r in args.rules:
                cmd += ["--rules", r]
            elapsed, peak, code, stderr, cpu = run_measured(cmd, env)
            if code not in (0, 1):
                print(stderr, file=sys.stderr)
            sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(out.iterdir())) \
                if out.exists() else "-"
            print(f"{n:>10,} {base_s:>12.2f} {elapsed:>8.2f} {elapsed / base_s:>6.1f} {cpu:>6.2f} {peak:>8.0f}  {code:>4}  {sizes}")
            if (out / "report.sarif").exists():
                print(f"{'':>10} {sarif_figures(out / 'report.sarif')}")
            print(f"{'':>10} inventory {inv.stat().st_size / 1e6:.0f} MB; {stderr.strip().splitlines()[-1] if stderr.strip() else ''}")
            inv.unlink()


if __name__ == "__main__":
    main()
