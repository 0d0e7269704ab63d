"""Start-up cost of the CLI as a CI job pays it (issue 8 targets on this machine):

- `auditor --help`                                            target ≤ 0.3 s
- `auditor audit` of a 50-line purchase-order list, `--format sarif,md`   target ≤ 1.5 s

Each command runs in a fresh interpreter (subprocess), as `auditor` does in a pipeline;
the script prints the median, minimum and maximum wall time of several runs, and the
heaviest imports of one audit run (`python -X importtime`) so a regression names its cause.

    python benchmarks/startup.py [--runs 9] [--rules DIR ...]

By default the audit uses the bundled rule pack; `--rules` restricts it (e.g. to the packs
that run in a checkout without the list store).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HELP_TARGET_S = 0.3
AUDIT_TARGET_S = 1.5
HEAVY = ("sqlalchemy", "alembic", "weasyprint", "pyhanko", "cryptography", "jinja2", "playwright", "psycopg")

SUPPLIERS = ("Northwind Rig Supply LLC", "Harbor Hash Trading Ltd", "Prairie Compute Equipment Inc.")
MODELS = (("Bitmain", "Antminer S21 XP", "5200.00"), ("Bitmain", "Antminer S21 Pro", "3900.00"),
          ("MicroBT", "Whatsminer M60S", "3400.00"), ("Canaan", "Avalon A1566", "2650.00"))
ORIGINS = (("MY", "MY"), ("TH", "TH"), ("SG", "ID"), ("HK", "CN"))


def procurement_csv(path: Path, lines: int = 50) -> Path:
    """A deterministic purchase-order list: no serials (not delivered yet), PO number + line."""
    rows = ["PO Number,Line,Supplier,Manufacturer,Model,Qty,Unit Price (USD),Ship From,Country of Origin,"
            "Expected Import Date,HTS Code"]
    for i in range(lines):
        mfr, model, price = MODELS[i % len(MODELS)]
        ship, origin = ORIGINS[i % len(ORIGINS)]
        rows.append(f"PO-2026-{1000 + i // 5},{i % 5 + 1},{SUPPLIERS[i % len(SUPPLIERS)]},{mfr},{model},"
                    f"{10 + i % 30},{price},{ship},{origin},2027-0{1 + i % 6}-15,8543.70.9960")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def timed(cmd: list[str], env: dict, runs: int, ok: tuple[int, ...]) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode not in ok:
            sys.exit(f"startup.py: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
    return times


def heaviest_imports(cmd: list[str], env: dict, top: int = 8) -> list[tuple[int, str]]:
    proc = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env=env, capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and not m.group(2).strip() and len(m.group(2)) <= 1:  # top-level imports only
            rows.append((int(m.group(1)), m.group(3)))
    loaded = {name.split(".")[0] for _, name in rows}
    return sorted(rows, reverse=True)[:top], sorted(loaded & set(HEAVY))


def report(label: str, times: list[float], target: float) -> bool:
    med = statistics.median(times)
    verdict = "OK" if med <= target else "OVER TARGET"
    print(f"{label:<52} median {med:6.3f} s  min {min(times):6.3f}  max {max(times):6.3f}  "
          f"(n={len(times)}, target ≤ {target} s) {verdict}")
    return med <= target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--rules", action="append", default=[], help="rule directory (repeatable)")
    args = ap.parse_args()

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("AUDITOR_DEBUG", None)
    cli = [sys.executable, "-c", "from auditor.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        env["AUDITOR_DB"] = f"sqlite:///{Path(tmp) / 'auditor.db'}"  # never the user's store
        csv = procurement_csv(Path(tmp) / "purchase-orders.csv")
        audit = [*cli, "audit", str(csv), "--as-of", "2026-11-26", "--format", "sarif,md", "--out", str(Path(tmp) / "out"),
                 *[a for d in args.rules for a in ("--rules", d)]]
        # One warm-up of each so that .pyc files exist, as on any installed machine.
        timed([*cli, "--help"], env, 1, (0,))
        timed(audit, env, 1, (0, 1))
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPU(s); {args.runs} runs each")
        ok = report("auditor --help", timed([*cli, "--help"], env, args.runs, (0,)), HELP_TARGET_S)
        ok &= report("auditor audit <50-line PO list> --format sarif,md", timed(audit, env, args.runs, (0, 1)),
                     AUDIT_TARGET_S)
        top, heavy = heaviest_imports(audit, env)
        print("heaviest top-level imports of the audit (cumulative µs): "
              + ", ".join(f"{name} {us:,}" for us, name in top))
        print("heavy optional libraries imported by the audit: " + (", ".join(heavy) or "none"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
