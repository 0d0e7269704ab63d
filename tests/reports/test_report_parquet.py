"""--format parquet: findings.parquet and rigs.parquet read as an analyst would, with DuckDB.

Expectations are the hand counts of HOSTILE_CSV (see conftest), not figures computed by the code.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from .conftest import AS_OF, HOSTILE_COUNTS, HOSTILE_CSV, HOSTILE_TOTAL, REPO, RULES, audit


def _duckdb():
    from tests.conftest import require

    try:
        import duckdb as mod
    except ImportError:
        mod = None
    require(mod is not None, "duckdb is not installed (pip install '.[test]')")
    return mod


@pytest.fixture(scope="module")
def parquet_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("parquet")
    inv = d / "hostile.csv"
    inv.write_text(HOSTILE_CSV, encoding="utf-8")
    return audit(inv, d / "out", formats="json,parquet")


def test_findings_parquet_counts_by_severity(parquet_report):
    db = _duckdb()
    rows = db.sql(f"select severity, count(*) from '{parquet_report / 'findings.parquet'}' group by 1").fetchall()
    counts = {sev: n for sev, n in rows}
    assert sum(counts.values()) == HOSTILE_TOTAL
    assert {k: v for k, v in HOSTILE_COUNTS.items() if v} == counts


def test_findings_parquet_points_at_file_and_line(parquet_report):
    db = _duckdb()
    lines = db.sql(
        f"select line from '{parquet_report / 'findings.parquet'}' where rule_id = 'ORIG-001' order by line"
    ).fetchall()
    assert [line for (line,) in lines] == [2, 3, 5, 6, 7, 8, 13, 14]
    files = db.sql(f"select distinct file from '{parquet_report / 'findings.parquet'}'").fetchall()
    assert files == [("hostile.csv",)]  # a file name, never the officer's absolute path


def test_rigs_parquet_one_row_per_audited_rig_with_open_counts(parquet_report):
    db = _duckdb()
    path = parquet_report / "rigs.parquet"
    assert db.sql(f"select count(*) from '{path}'").fetchall()[0] == (13,)
    # The spreadsheet-hostile serial is data here: kept exactly as written.
    assert db.sql(f"select line from '{path}' where serial = '-2+3'").fetchall()[0] == (14,)
    # R001 appears twice (DQ-002 high on both lines); line 2 is also CN (ORIG-001 medium).
    got = db.sql(f"select line, open_high, open_medium from '{path}' where serial = 'R001' order by line").fetchall()
    assert got == [(2, 1, 1), (10, 1, 0)]
    by_site = dict(db.sql(f"select site, sum(open_medium) from '{path}' group by site").fetchall())
    assert by_site["Alpha"] == 2  # R001 and R002 are CN at Alpha; R003 is MY


def test_rigs_parquet_keeps_types(tmp_path):
    db = _duckdb()
    inv = tmp_path / "typed.csv"
    inv.write_text(
        "serial,model,manufacturer,import_date,declared_value_usd,hts_code,assembly_country\n"
        "0001,Antminer S21,Bitmain,2025-06-18,3499.00,8543.70.9960,NO\n"
        "0002,Antminer S21,Bitmain,,,,\n",
        encoding="utf-8",
    )
    out = audit(inv, tmp_path / "out", formats="parquet")
    rows = db.sql(
        f"select serial, import_date, declared_value_usd, hts_code, assembly_country, "
        f"typeof(import_date), typeof(declared_value_usd) from '{out / 'rigs.parquet'}' order by line"
    ).fetchall()
    first, second = rows
    assert first[:5] == ("0001", date(2025, 6, 18), pytest.approx(3499), "8543.70.9960", "NO")
    assert first[5] == "DATE" and first[6].startswith("DECIMAL")
    assert second[1:5] == (None, None, None, None)


def test_parquet_output_is_byte_identical(tmp_path):
    inv = tmp_path / "hostile.csv"
    inv.write_text(HOSTILE_CSV, encoding="utf-8")
    a = audit(inv, tmp_path / "a", formats="parquet")
    b = audit(inv, tmp_path / "b", formats="parquet")
    for name in ("findings.parquet", "rigs.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_missing_pyarrow_is_a_usage_error_before_anything_is_written(tmp_path):
    inv = tmp_path / "hostile.csv"
    inv.write_text(HOSTILE_CSV, encoding="utf-8")
    out = tmp_path / "out"
    args = ["audit", str(inv), "--out", str(out), "--as-of", AS_OF, "--format", "json,parquet"]
    for r in RULES:
        args += ["--rules", str(r)]
    # Block the import as an installation without the [parquet] extra would.
    code = ("import sys; sys.modules['pyarrow'] = None; from auditor.cli import main; "
            f"main({args!r})")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'auditor[parquet]'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_rigs_parquet_carries_each_rigs_estimated_duty(tmp_path):
    """Per-rig duty estimates are figures in rigs.parquet, queried like any column (hand-computed)."""
    db = _duckdb()
    inv = tmp_path / "fleet.csv"
    inv.write_text("serial,model,assembly_country,import_date,declared_value_usd\n"
                   "T1,Antminer S21,CN,2025-06-18,3000\n"   # 57.6% at import, 27.6% as of 2026-11-26
                   "T2,Antminer S21,MY,,1000\n"            # no import date: the audit date's 2.6%
                   "T3,Antminer S21,US,2025-06-18,9000\n"  # US origin: no duty
                   "T4,Antminer S21,CN,2025-06-18,\n",     # no declared value
                   encoding="utf-8")
    out = audit(inv, tmp_path / "out", formats="parquet", rules=[REPO / "rules" / "tariff"])
    rows = db.sql(f"select serial, tariff_status, tariff_rates_on, tariff_rates_on_basis, tariff_rate_at_import, "
                  f"tariff_duty_at_import_usd, tariff_rate_as_of, tariff_duty_as_of_usd "
                  f"from '{out / 'rigs.parquet'}' order by line").fetchall()
    from decimal import Decimal as D

    assert rows == [
        ("T1", "estimated", date(2025, 6, 18), "import_date", D("0.5760"), D("1728.00"), D("0.2760"), D("828.00")),
        ("T2", "estimated", date(2026, 11, 26), "audit date (import_date missing)", D("0.0260"), D("26.00"),
         D("0.0260"), D("26.00")),
        ("T3", "us_origin", date(2025, 6, 18), "import_date", None, None, None, None),
        ("T4", "value_missing", date(2025, 6, 18), "import_date", D("0.5760"), None, D("0.2760"), None),
    ]
