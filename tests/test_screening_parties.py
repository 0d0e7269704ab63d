"""Reports group screening findings by listed party before the per-rig rows."""

from __future__ import annotations

import json

from conftest import read_report

from tests.conftest import run_cli

INVENTORY = (
    "serial,model,manufacturer,chip_vendor,supplier\n"
    "SN1,Antminer S21,Bitmain,Sophgo,Sophgo Technologies Ltd.\n"
    "SN2,Antminer S21,Bitmain,Sophgo,SOPHGO TECHNOLOGIES PTE. LTD\n"
    "SN3,Antminer S21,Bitmain,,BitRiver\n"
    "SN4,Antminer S21,Bitmain,,Acme Hosting LLC\n"
)


def test_parties_with_lists_effects_values_and_rigs_in_every_report(tmp_path, isolated_db):
    inventory = tmp_path / "fleet.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-06-01", "--rules",
                   "rules/entity/ENT-001.toml", "--bundled-lists-only", "--format", "json,html,md,pdf")
    assert done.returncode == 1, done.stderr
    parties = read_report(out)["summary"]["screening_parties"]
    by_name = {p["party"]: p for p in parties}
    sophgo = by_name["Sophgo Technologies Ltd."]
    # Rigs SN1 and SN2 (supplier) carry it, SN1 and SN2 again by chip vendor: two rigs.
    assert sophgo["rigs"] == 2
    assert sophgo["lists"] == ["Entity List (EL) - Bureau of Industry and Security"]
    assert {(m["field"], m["value"]) for m in sophgo["matched"]} >= {
        ("supplier", "Sophgo Technologies Ltd."), ("supplier", "SOPHGO TECHNOLOGIES PTE. LTD"), ("chip_vendor", "Sophgo")}
    assert any("licence" in e for e in sophgo["legal_effects"])
    bitriver = by_name["BitRiver"]
    assert bitriver["rigs"] == 1 and bitriver["severity"] == "critical"
    assert "Acme Hosting" not in json.dumps(parties)
    summary = read_report(out)["summary"]
    assert summary["screening_party_rigs"] == 3  # SN1-SN3, each counted once
    # Most severe first: the sanctioned party (one rig) before the export-controlled one (two).
    ranks = ["critical", "high", "medium", "low", "info"]
    assert [ranks.index(p["severity"]) for p in parties] == sorted(ranks.index(p["severity"]) for p in parties)
    assert [p["party"] for p in parties].index("BitRiver") < [p["party"] for p in parties].index(sophgo["party"])

    html = (out / "report.html").read_text(encoding="utf-8")
    heading = f"Listed parties matched: {len(parties)} parties, 3 rigs"
    assert heading in html and html.index(heading) < html.index("<h3>Findings by rule</h3>")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"### {heading}" in md
    # A value that matched another of the party's names says which, as HTML and PDF do: no
    # value seems listed twice.
    sophgo_row = next(line for line in md.splitlines() if line.startswith("| Sophgo Technologies Ltd. |"))
    assert "supplier SOPHGO TECHNOLOGIES PTE. LTD (as Sophgo Technologies Pte. Ltd.)" in sophgo_row
    assert (out / "report.pdf").stat().st_size > 0
