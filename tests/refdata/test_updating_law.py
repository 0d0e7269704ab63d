"""Updating law without code: an officer edits one data file; lint and explain pick it up."""

import json

from auditor.refdata import facilities as facilities_mod
from auditor.refdata import tariffs as tariffs_mod
from tests.conftest import run_cli

NEW_RATE = """
[[tariff]]
id = "S122-ALL-15-2026-09"
programme = "Section 122"
origin = "*"
hts = ["*"]
percent = 15
from = 2026-09-01
confidence = "P"
source = "Proclamation (example record added by an officer)"
"""


def test_added_tariff_record_changes_the_stack(capsys, tmp_path):
    edited = tmp_path / "tariffs.toml"
    edited.write_text(tariffs_mod.DEFAULT_PATH.read_text(encoding="utf-8") + NEW_RATE, encoding="utf-8")
    code, out, _ = run_cli("tariffs", "explain", "--origin", "CN", "--date", "2026-11-26", "--json",
                       "--schedule", str(edited), in_process=True)
    doc = json.loads(out)
    # 2.6% MFN + 25% Section 301 + 15% new surcharge = 42.6%.
    assert code == 0 and doc["total_rate"] == 0.426
    assert doc["components"][-1]["id"] == "S122-ALL-15-2026-09"
    # The day before it starts, the old total stands.
    code, out, _ = run_cli("tariffs", "explain", "--origin", "CN", "--date", "2026-08-31", "--json",
                       "--schedule", str(edited), in_process=True)
    assert json.loads(out)["total_rate"] == 0.276


def test_rules_lint_rejects_a_broken_data_file(capsys, tmp_path, monkeypatch):
    broken = tmp_path / "facilities.toml"
    text = facilities_mod.DEFAULT_PATH.read_text(encoding="utf-8")
    broken.write_text(text.replace("first_production = 2025-04-02", 'first_production = "April 2025"'), encoding="utf-8")
    line = next(i for i, ln in enumerate(broken.read_text().splitlines(), 1) if "April 2025" in ln)
    monkeypatch.setattr(facilities_mod, "DEFAULT_PATH", broken)
    code, _, err = run_cli("rules", "lint", in_process=True)
    assert code == 2
    assert f"{broken}:{line}: 'first_production' must be a TOML date" in err


def test_rules_lint_accepts_the_shipped_data(capsys):
    code, out, _ = run_cli("rules", "lint", in_process=True)
    assert code == 0 and "reference data are valid" in out
