"""A reviewed false positive raises no finding and is shown as cleared in every report."""

from __future__ import annotations

from conftest import read_report, run_cli

EL = "Entity List (EL) - Bureau of Industry and Security"
INVENTORY = (
    "serial,model,supplier\n"
    "SN1,Antminer S21,Sophgo Technologies Ltd.\n"
    "SN2,Antminer S21,Sophgo Technologies Ltd.\n"
    "SN3,Antminer S21,Acme Hosting LLC\n"
)


def audit(tmp_path, *extra):
    inv = tmp_path / "inv.csv"
    inv.write_text(INVENTORY)
    out = tmp_path / "out"
    proc = run_cli("audit", str(inv), "--out", str(out), "--overwrite", "--as-of", "2026-11-26",
                   "--rules", "rules/entity/ENT-001.toml",
                   "--bundled-lists-only", "--format", "json,html", *extra)
    return proc, out


def test_cleared_match_is_reported_not_raised(tmp_path, isolated_db):
    proc, out = audit(tmp_path)
    assert proc.returncode == 1
    raised = read_report(out)["findings"]
    # One finding per rig and field, carrying every matched entry.
    assert len(raised) == 2
    entries = {e["entity_id"] for f in raised for e in f["evidence"]["entries"]}
    assert "curated:el:sophgo-technologies-ltd" in entries

    cleared = tmp_path / "cleared.toml"
    cleared.write_text(f'''[[cleared]]
name = "Sophgo Technologies Ltd."
list = "{EL}"
entity_id = "curated:el:sophgo-technologies-ltd"
reviewer = "A. Officer"
justification = "Test decision: <b>not</b> the listed party."
date = 2026-11-20
''')
    proc, out = audit(tmp_path, "--cleared", str(cleared))
    doc = read_report(out)
    remaining = {e["entity_id"] for f in doc["findings"] for e in f["evidence"]["entries"]}
    assert "curated:el:sophgo-technologies-ltd" not in remaining
    assert remaining == entries - {"curated:el:sophgo-technologies-ltd"}  # other entries still raise
    (c,) = doc["summary"]["cleared_matches"]
    assert (c["value"], c["entity_id"], c["rigs"], c["reviewer"]) == (
        "Sophgo Technologies Ltd.", "curated:el:sophgo-technologies-ltd", 2, "A. Officer")
    assert c["decision"] == f"{cleared}:1"
    html = (out / "report.html").read_text()
    assert "Cleared screening matches (1)" in html
    assert "Test decision: &lt;b&gt;not&lt;/b&gt; the listed party." in html


def test_expired_or_future_decisions_leave_the_finding_with_a_note(tmp_path, isolated_db):
    cleared = tmp_path / "cleared.toml"
    cleared.write_text(f'''[[cleared]]
name = "SOPHGO TECHNOLOGIES LTD"
list = "{EL}"
entity_id = "curated:el:sophgo-technologies-ltd"
reviewer = "A. Officer"
justification = "Test decision."
date = 2026-01-10
review_by = 2026-06-30
''')
    proc, out = audit(tmp_path, "--cleared", str(cleared))
    assert proc.returncode == 1
    doc = read_report(out)
    raised = [e for f in doc["findings"] for e in f["evidence"]["entries"]
              if e["entity_id"] == "curated:el:sophgo-technologies-ltd"]
    assert len(raised) == 2  # both rigs still raise it
    assert all("was due for review on 2026-06-30" in e["cleared_note"] for e in raised)
    (note,) = doc["summary"]["clearances_not_applied"]
    assert note["rigs"] == 2 and "cleared_matches" not in doc["summary"]
    assert "Cleared decisions not applied (1)" in (out / "report.html").read_text()


def test_a_decision_naming_no_loaded_entry_is_a_warning_not_silence(tmp_path, isolated_db):
    """A mistyped list name or entry id clears nothing; the report says so."""
    cleared = tmp_path / "cleared.toml"
    cleared.write_text('''[[cleared]]
name = "Sophgo Technologies Ltd."
list = "Entity List"
entity_id = "curated:el:sophgo-technologies-ltd"
reviewer = "A. Officer"
justification = "The list name is not the one the finding shows."
date = 2026-11-20
''')
    proc, out = audit(tmp_path, "--cleared", str(cleared))
    assert proc.returncode == 1  # the finding stands
    doc = read_report(out)
    assert "curated:el:sophgo-technologies-ltd" in {e["entity_id"] for f in doc["findings"] for e in f["evidence"]["entries"]}
    assert any(f"{cleared}:1: the cleared decision for 'Sophgo Technologies Ltd.' names entry "
               "'curated:el:sophgo-technologies-ltd' of list 'Entity List', which the loaded lists do not have: "
               "it clears nothing" in w for w in doc["warnings"]), doc["warnings"]
