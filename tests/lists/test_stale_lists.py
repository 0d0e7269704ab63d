"""Stale reference data makes an audit INCOMPLETE (exit 3, DESIGN.md), not quietly clean."""

from __future__ import annotations

from pathlib import Path

from conftest import read_report

from tests.conftest import REPO, run_cli

FIXTURES = Path(__file__).with_name("fixtures")
INVENTORY = "serial,model,supplier\nSN1,Antminer S21,Acme Hosting LLC\n"


def audit(tmp_path, db, *extra):
    inv = tmp_path / "inv.csv"
    inv.write_text(INVENTORY)
    out = tmp_path / "out"
    return run_cli("audit", str(inv), "--out", str(out), "--overwrite", "--as-of", "2026-11-26", "--db", db, "--no-record",
                   "--rules", str(REPO / "rules" / "entity" / "ENT-001.toml"), *extra), out


def test_a_list_older_than_the_limit_makes_the_audit_incomplete(tmp_path):
    db = f"sqlite:///{tmp_path / 'lists.db'}"
    imp = run_cli("lists", "import", str(FIXTURES / "csl_small.csv"), "--format", "csl-csv", "--db", db,
                  "--retrieved", "2026-06-01")
    assert imp.returncode == 0, imp.stderr

    proc, out = audit(tmp_path, db)  # 178 days old, default limit 90
    assert proc.returncode == 3, proc.stderr
    doc = read_report(out)
    assert doc["status"] == "incomplete"
    assert any("178 days before 2026-11-26 (limit 90 days)" in r for r in doc["incomplete_reasons"])

    proc, out = audit(tmp_path, db, "--max-list-age", "180")
    assert proc.returncode == 0, proc.stderr
    assert read_report(out)["status"] == "complete"
