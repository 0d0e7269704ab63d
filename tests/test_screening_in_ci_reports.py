"""What the screening says in every report, with real official list files imported: the
finding's sentence, which lists were screened and which expected ones were absent."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

from conftest import read_report, run_cli, shared_lists

FCC = "FCC Covered List (FCC) - Federal Communications Commission"


def _import(name: str, retrieved: str) -> None:
    done = run_cli("lists", "import", shared_lists() / name, "--retrieved", retrieved)
    assert done.returncode == 0, done.stderr


def _audit(tmp_path, rows: str, *extra: str, formats: str = "json,html,csv,junit,md"):
    inventory = tmp_path / "po.csv"
    inventory.write_text("serial,model,supplier\n" + rows, encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--overwrite", "--rules", "rules/entity/ENT-001.toml",
                   "--format", formats, *extra)
    return done, out


def test_a_match_on_one_entry_reads_as_a_sentence_in_every_report(tmp_path, isolated_db):
    _import("fcc_covered_list.csv", "2026-11-20")
    done, out = _audit(tmp_path, "P1,Antminer S21,Hytera Communications Corporation Limited\n",
                       "--as-of", "2026-11-30", "--no-bundled-list")
    assert done.returncode == 0, done.stderr  # FCC: low severity, below the default gate
    (finding,) = read_report(out)["findings"]
    expected = (f"supplier 'Hytera Communications Corporation Limited' matches 'Hytera Communications Corporation' "
                f"on {FCC} (score 1.00): ")
    assert finding["message"].startswith(expected)
    with (out / "findings.csv").open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["message"] == finding["message"]
    for name in ("report.html", "report.junit.xml", "report.md", "report.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert "(missing)" not in text, name
    assert "(score 1.00): " in (out / "report.junit.xml").read_text(encoding="utf-8")
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["status"] == "complete"


def _junit_case(out, classname_end: str) -> ET.Element:
    root = ET.parse(out / "report.junit.xml").getroot()
    (case,) = [c for c in root.iter("testcase") if c.get("classname", "").endswith(classname_end)]
    return case


def test_a_run_with_some_official_lists_says_which_expected_ones_were_absent(tmp_path, isolated_db):
    """Only the FCC list imported: a PO from Роснефть (an SDN party, not in the bundled sample)
    passes the gate, and every report says that OFAC SDN, the Entity List and 1260H were not
    screened, the JUnit file as a case CI viewers show (not a passing case's hidden output)."""
    _import("fcc_covered_list.csv", "2026-11-20")
    done, out = _audit(tmp_path, "P1,Antminer S21,Роснефть\n", "--as-of", "2026-11-30")
    assert done.returncode == 0, done.stderr  # a warning, as with the bundled list alone: exit unchanged
    absent = "but not OFAC SDN, BIS Entity List, DoD 1260H list"
    assert absent in done.stderr
    md = (out / "report.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("> **Screening lists:**"))
    assert "official lists imported (FCC)" in line and absent in line
    assert "bundled curated list's 29 entries" in line
    case = _junit_case(out, ".screening-lists")
    skipped = case.find("skipped")
    assert skipped is not None and absent in skipped.get("message")
    root = ET.parse(out / "report.junit.xml").getroot()
    assert root.get("skipped") == "1" and root.get("failures") == "0" and root.get("errors") == "0"
    doc = read_report(out)
    assert doc["screening_lists"] == {
        "official": [FCC], "bundled_entries": 29,
        "absent": ["Specially Designated Nationals (SDN) - Treasury Department",
                   "Entity List (EL) - Bureau of Industry and Security",
                   "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense"]}
    assert any(absent in w for w in doc["warnings"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert absent in html


def test_a_run_with_the_expected_lists_names_them_and_warns_of_nothing_missing(tmp_path, isolated_db):
    _import("csl_2023-11_partial.csv", "2026-11-20")  # SDN and Entity List among its sections
    _import("dod_1260h.csv", "2026-11-20")
    done, out = _audit(tmp_path, "P1,Antminer S21,Acme Hosting LLC\n", "--as-of", "2026-11-30")
    assert done.returncode == 0, done.stderr
    md = (out / "report.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("> **Screening lists:**"))
    assert "names were screened against the official lists imported (" in line
    for code in ("SDN", "EL", "1260H", "DPL"):
        assert f" {code}," in line or f"({code}," in line or f" {code})" in line, code
    assert "but not" not in md
    case = _junit_case(out, ".screening-lists")
    assert case.find("skipped") is None and case.find("failure") is None
    assert "official lists screened:" in case.find("system-out").text
    assert read_report(out)["screening_lists"]["absent"] == []
