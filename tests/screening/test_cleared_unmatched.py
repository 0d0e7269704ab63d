"""A cleared decision that no match of the run found cleared nothing: every report that lists
cleared decisions says so, and the run warns (the tryout's cl_wrongid.toml: 10895 typed for 10894)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from tests.conftest import read_report, run_cli, shared_lists

SDN = "Specially Designated Nationals (SDN) - Treasury Department"

CLEARED = f'''[[cleared]]
name = "Canaan Group"
list = "{SDN}"
entity_id = "10895"
reviewer = "A. Officer"
justification = "Canaan Group is the Avalon ASIC maker (Nasdaq: CAN); the listed party is an Iranian travel agency."
date = 2026-11-15
review_by = 2027-05-15

[[cleared]]
name = "BitRiver AG"
list = "{SDN}"
entity_id = "curated:sdn:bitriver"
reviewer = "A. Officer"
justification = "Checked: a Swiss hosting company of that name, not the Russian one (test decision)."
date = 2026-11-15
'''


def test_a_decision_that_matched_no_finding_is_listed_as_not_applied_and_warned(tmp_path, isolated_db):
    done = run_cli("lists", "import", shared_lists() / "ofac_sdn_2019.csv", "--retrieved", "2026-11-20")
    assert done.returncode == 0, done.stderr
    inventory = tmp_path / "fleet.csv"
    inventory.write_text("serial,model,supplier\nT1,Avalon A1466,Canaan Group\nT2,Antminer S19,BitRiver AG\n",
                         encoding="utf-8")
    cleared = tmp_path / "cl_wrongid.toml"
    cleared.write_text(CLEARED, encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-12-01", "--rules",
                   "rules/entity/ENT-001.toml", "--cleared", str(cleared), "--format", "json,md,html,junit")
    assert done.returncode in (0, 1), done.stderr
    assert (f"{cleared}:1: the cleared decision for 'Canaan Group' against \"JAFFAR 'ALI, 'Abd al-Rahman Muhammad\" "
            f"(#10895, {SDN}) matched no finding in this run") in done.stderr

    summary = read_report(out)["summary"]
    # The decision that did clear a match is reported as cleared, and only the other as not applied.
    assert [c["entity_id"] for c in summary["cleared_matches"]] == ["curated:sdn:bitriver"]
    (wrong,) = summary["clearances_not_applied"]
    assert (wrong["value"], wrong["entity_id"], wrong["listed_name"], wrong["rigs"]) == (
        "Canaan Group", "10895", "JAFFAR 'ALI, 'Abd al-Rahman Muhammad", 0)
    assert "matched no finding in this run" in wrong["note"]
    warnings = json.loads((out / "report.json").read_text(encoding="utf-8"))["warnings"]
    assert any("10895" in w and "matched no finding in this run" in w for w in warnings), warnings

    md = (out / "report.md").read_text(encoding="utf-8")
    section = md[md.index("### Cleared decisions not applied (1)"):]
    assert "Canaan Group" in section and "#10895" in section and "matched no finding in this run" in section
    assert "a decision that matched no finding (no rigs) may carry a mistyped entity id" in section
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Cleared decisions not applied (1)" in html and "#10895" in html
    junit = ET.parse(out / "report.junit.xml").getroot()
    outputs = " ".join(e.text or "" for e in junit.iter("system-out"))
    assert "cleared decision not applied:" in outputs and "'Canaan Group'" in outputs and "#10895" in outputs
