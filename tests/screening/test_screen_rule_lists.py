"""A rule that screens against named lists must not look clean when none of them is loaded."""

from __future__ import annotations

from pathlib import Path

from conftest import read_report

from tests.conftest import REPO, run_cli

DPL = "Denied Persons List (DPL) - Bureau of Industry and Security"


def test_a_configured_list_with_no_entries_makes_the_audit_incomplete(tmp_path: Path, isolated_db) -> None:
    rule = (REPO / "rules" / "entity" / "ENT-001.toml").read_text(encoding="utf-8")
    rule = rule.replace('id = "ENT-001"', 'id = "ENT-DPL"').replace(
        'fields = ["manufacturer", "chip_vendor", "supplier"]',
        f'fields = ["manufacturer", "chip_vendor", "supplier"]\nlists = ["{DPL}"]')
    assert f'lists = ["{DPL}"]' in rule
    (tmp_path / "ENT-DPL.toml").write_text(rule, encoding="utf-8")
    inventory = tmp_path / "inv.csv"
    inventory.write_text("serial,model,supplier\nSN1,Antminer S21,Acme Hosting LLC\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-06-01", "--rules",
                   str(tmp_path / "ENT-DPL.toml"), "--bundled-lists-only", "--format", "json")
    assert done.returncode == 3, done.stderr
    reasons = read_report(out)["incomplete_reasons"]
    assert any("ENT-DPL" in r and DPL in r and "no entries" in r for r in reasons), reasons
