"""Time the origin, tariff and firmware rules on a synthetic N-rig fleet (default 1,000,000).

    python benchmarks/bench_refdata_checks.py [N]

The table is built directly as dictionary-encoded columns (what the CSV reader produces), so
the figures are the evaluation cost alone. Two fleets: "typical" (96 import dates, 3 declared
values, like benchmarks/generate_inventory.py) and "harsh" (~1,500 import and manufacture
dates, 40 declared values); 13 models with 6 firmware builds each. Prints seconds per rule, finding groups, rows flagged, and the
time to expand the tariff rule's per-rig evidence (what report writers pay).
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from auditor.engine.checks.base import EvalContext  # noqa: E402
from auditor.engine.evaluate import evaluate_rule  # noqa: E402
from auditor.engine.loader import load_rules  # noqa: E402
from auditor.model import CANONICAL_COLUMNS, AuditResult, Column, InventoryTable  # noqa: E402
from auditor.refdata import RefData  # noqa: E402
from auditor.refdata.rule_data import load_rule_refdata  # noqa: E402

MODELS = [
    ("Bitmain", "Antminer S19j Pro"), ("Bitmain", "Antminer S19 XP"), ("Bitmain", "Antminer S21"),
    ("Bitmain", "Antminer T21"), ("Bitmain", "Antminer S9"), ("Bitmain", "Antminer L3+"), ("MicroBT", "Whatsminer M30S++"),
    ("MicroBT", "Whatsminer M50S"), ("MicroBT", "Whatsminer M60S"), ("Canaan", "Avalon A1366"),
    ("Canaan", "Avalon A1466"), ("Auradine", "Teraflux AT2880"), ("Goldshell", "Goldshell KD6"),
]
FIRMWARE = [("stock", "2023.08"), ("stock", "2.1.4"), ("Braiins OS", "23.03.5"), ("Braiins OS", "24.03"),
            ("LuxOS", "2024.9.10"), (None, None)]
COUNTRIES = ["CN", "CN", "MY", "TH", "ID", "US", "VN", "SG", None]


def column(values: list, n: int, rng: np.random.Generator) -> Column:
    """Random codes over `values` (code 0 = None is always present)."""
    vals = [None] + [v for v in values if v is not None]
    hi = len(vals)
    lo = 0 if None in values else 1
    return Column(vals, rng.integers(lo, hi, n, dtype=np.uint32))


def build(n: int, n_days: int = 1500, n_values: int = 40) -> InventoryTable:
    rng = np.random.default_rng(n)
    start = date(2022, 1, 1)
    days = [start + timedelta(days=i * (1500 // n_days)) for i in range(n_days)]
    cols: dict[str, Column] = {name: Column([None], np.zeros(n, dtype=np.uint32)) for name in CANONICAL_COLUMNS}
    combo = rng.integers(0, len(MODELS), n)
    cols["manufacturer"] = Column([None] + sorted({m for m, _ in MODELS}), np.zeros(n, dtype=np.uint32))
    mindex = {m: i for i, m in enumerate(cols["manufacturer"].values)}
    cols["manufacturer"].codes = np.array([mindex[m] for m, _ in MODELS], dtype=np.uint32)[combo]
    cols["model"] = Column([None] + [m for _, m in MODELS], (combo + 1).astype(np.uint32))
    fw = rng.integers(0, len(FIRMWARE), n)
    cols["firmware"] = Column([None, "stock", "Braiins OS", "LuxOS"],
                              np.array([[None, "stock", "Braiins OS", "LuxOS"].index(f) for f, _ in FIRMWARE],
                                       dtype=np.uint32)[fw])
    versions = [None] + sorted({v for _, v in FIRMWARE if v})
    cols["firmware_version"] = Column(versions, np.array([versions.index(v) for _, v in FIRMWARE], dtype=np.uint32)[fw])
    cols["assembly_country"] = column(COUNTRIES, n, rng)
    cols["manufacture_date"] = column(days, n, rng)
    cols["import_date"] = column(days + [None], n, rng)
    cols["declared_value_usd"] = column([Decimal(1500 + 125 * i) for i in range(n_values)], n, rng)
    cols["hts_code"] = column(["8543.70.9960", None], n, rng)
    serials = Column([None] + [f"SN{i:09d}" for i in range(n)], np.arange(1, n + 1, dtype=np.uint32))
    cols["serial"] = serials
    return InventoryTable(columns=cols, lines=np.arange(2, n + 2, dtype=np.int64),
                          source_index=np.zeros(n, dtype=np.int32), sources=["synthetic.csv"])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    # "typical": the cardinalities of benchmarks/generate_inventory.py (96 dates, 3 prices);
    # "harsh": ~1,500 distinct import dates and 40 declared values.
    for label, n_days, n_values in (("typical", 96, 3), ("harsh", 1500, 40)):
        print(f"== {label}: {n_days} dates, {n_values} declared values")
        run(n, n_days, n_values)


def run(n: int, n_days: int, n_values: int) -> None:
    t0 = time.perf_counter()
    table = build(n, n_days, n_values)
    print(f"built {n:,}-row table in {time.perf_counter() - t0:.2f} s")
    rules = [r for r in load_rules([REPO / "rules" / d for d in ("origin", "tariff", "firmware")])
             if r.check_kind in ("tariff", "origin_claim", "firmware")]
    ref = load_rule_refdata(RefData(), approved_firmware=REPO / "auditor/refdata/data/approved_firmware.example.toml")
    ctx = EvalContext(as_of=date(2026, 11, 26), refdata=ref)
    total = 0.0
    tariff_groups = []
    for rule in rules:
        t = time.perf_counter()
        groups = evaluate_rule(rule, table, ctx)
        dt = time.perf_counter() - t
        total += dt
        rows = sum(len(g.rows) for g in groups)
        print(f"{rule.id:<11} {dt:7.3f} s  {len(groups):6,} groups  {rows:9,} rows flagged")
        if rule.id == "TARIFF-001":
            tariff_groups = groups
    exposure = f"{ctx.tariff.exposure_usd} USD" if ctx.tariff else "not estimated"
    print(f"all {len(rules)} rules: {total:.2f} s for {n:,} rigs; fleet exposure {exposure}")
    # What a report writer pays to expand the tariff rule into per-rig findings with evidence.
    result = AuditResult(as_of=ctx.as_of, tool_version="bench", inventory=[], rules=[], lists=[], table=table,
                         groups=tariff_groups, rejected=[])
    t = time.perf_counter()
    count = sum(1 for _ in result.iter_findings())
    print(f"expanded TARIFF-001 into {count:,} findings (fingerprints, merged evidence) in {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
