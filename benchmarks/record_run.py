"""Recording a large audit run, and diffing two of them: prints figures, asserts nothing.

    python benchmarks/record_run.py [N] [DB_URL]

N findings (default 1,000,000) of one rule on N rigs with distinct serials, recorded into
DB_URL (default: a fresh SQLite file in a temporary directory); then a second run with 1% of
the rigs changed is recorded and the two are diffed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.inventory.table import table_from_rows  # noqa: E402
from auditor.model import AuditResult, FindingGroup, InventorySource, Kind, Rule, Severity  # noqa: E402


def make(n: int, changed: int) -> AuditResult:
    rows = ({"serial": f"SN{i:09d}" if i >= changed else f"NEW{i:09d}", "model": f"M{i % 30}",
             "supplier": f"Supplier {i % 200}"} for i in range(n))
    table = table_from_rows(rows, source="fleet.csv")
    rule = Rule(id="BENCH-001", title="bench", severity=Severity.HIGH, kind=Kind.DATA_QUALITY,
                check_kind="condition", check=None, message="m", references=(), remediation="",
                effective_from=None, effective_until=None, tests=(), version=1, sha256="0" * 64, path="-")
    # Thirty groups (one per model), as the engine groups rows on distinct values.
    models = table.columns["model"]
    groups = []
    for code in range(1, len(models.values)):
        rows = np.nonzero(models.codes == code)[0].astype(np.int64)
        groups.append(FindingGroup(rule, rows, f"model {models.values[code]}", {"model": models.values[code]}))
    inv = InventorySource("fleet.csv", "f" * 64, n, n, 0)
    return AuditResult(date(2025, 6, 18), "bench", [inv], [rule], [], table, groups, [])


def main() -> None:
    from auditor.diff import diff_runs
    from auditor.store.db import open_engine, upgrade
    from auditor.store.runs import record_run

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    tmp = tempfile.mkdtemp(prefix="auditor-bench-")
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tmp}/bench.db"
    engine = open_engine(url)
    upgrade(engine)
    t = datetime(2025, 6, 18, tzinfo=timezone.utc)
    print(f"database: {engine.dialect.name}; findings per run: {n:,}")

    a, b = make(n, 0), make(n, n // 100)
    t0 = time.perf_counter()
    ra = record_run(engine, a, t, t)
    t1 = time.perf_counter()
    rb = record_run(engine, b, t, t)
    t2 = time.perf_counter()
    d = diff_runs(engine, ra, rb, unchanged_detail=False)
    t3 = time.perf_counter()
    print(f"record_run #1: {t1 - t0:.1f} s ({n / (t1 - t0):,.0f} findings/s)")
    print(f"record_run #2: {t2 - t1:.1f} s")
    print(f"diff_runs (changes in full, unchanged by fingerprint): {t3 - t2:.1f} s; counts {d.counts()}")
    if engine.dialect.name == "sqlite":
        db = Path(url[len("sqlite:///"):])
        size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
        print(f"database size after two runs: {size / 1e6:.0f} MB")
    engine.dispose()
    for p in Path(tmp).glob("*"):
        os.remove(p)
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
