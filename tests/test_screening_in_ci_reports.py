"""What the screening says in every report, with real official list files imported: the
finding's sentence, which lists were screened and which expected ones were absent."""

from __future__ import annotations

import csv
import json
import re
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
        "official": [FCC], "bundled_entries": 29, "sdn_alternate_names_only": None,
        "absent": ["Specially Designated Nationals (SDN) - Treasury Department",
                   "Entity List (EL) - Bureau of Industry and Security",
                   "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense"]}
    assert any(absent in w for w in doc["warnings"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert absent in html  # the warnings of the summary
    # … and on the first screen, under Needs action, before the per-rig rows.
    alert = html.index('<p class="alert lists-absent"')
    assert html.index('<section id="actions"') < alert < html.index('<section id="summary"')
    assert "names were not screened against the official Specially Designated Nationals" in html[alert:alert + 300]
    # Beside the status, in report.md's words.
    status = html[html.index('<p class="status-line">'):]
    assert status.index("COMPLETE") < status.index(f"{absent}</strong>") < status.index("</p>")


def test_a_run_with_only_ofacs_alternate_names_says_they_were_screened(tmp_path, isolated_db):
    """OFAC's alt.csv imported alone: its names are screened (a supplier written as one of them
    matches), but it holds no SDN entry. Reports said "only the bundled curated list was
    screened", which the match itself contradicts; they now name the alternate names, how many,
    and that the SDN list's entries were not screened."""
    _import("ofac_alt_2025.csv", "2026-11-20")
    with (shared_lists() / "ofac_alt_2025.csv").open(encoding="utf-8", errors="replace", newline="") as f:
        # one entry per SDN ent_num (the file ends with a DOS end-of-file mark, a row of its own)
        parties = len({row[0] for row in csv.reader(f) if len(row) > 1})
    done, out = _audit(tmp_path, "P1,Antminer S21,BANK MELLAT YEREVAN\n", "--as-of", "2026-11-30")
    doc = read_report(out)
    assert any("BANK MELLAT YEREVAN" in f["message"] for f in doc["findings"])
    assert doc["screening_lists"]["official"] == [] and doc["screening_lists"]["sdn_alternate_names_only"] == parties
    said = (f"the OFAC SDN alternate names (alt.csv, {parties} names) were screened without the SDN list's "
            "entries and primary names")
    md = (out / "report.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("> **Screening lists:**"))
    assert "only the bundled curated list (29 entries) was screened" in line and said in line
    assert said in _junit_case(out, ".screening-lists").find("skipped").get("message")
    assert said in done.stderr


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
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'class="alert lists-absent"' not in html and 'class="screening-caveat"' not in html
    case = _junit_case(out, ".screening-lists")
    assert case.find("skipped") is None and case.find("failure") is None
    assert "official lists screened:" in case.find("system-out").text
    assert read_report(out)["screening_lists"]["absent"] == []


EL = "Entity List (EL) - Bureau of Industry and Security"
DECISION = '''[[cleared]]
name = "{name}"
list = "{el}"
entity_id = "{eid}"
reviewer = "A. Officer"
justification = "Test decision: a different company in Singapore."
date = 2026-01-10
review_by = {review_by}
'''


def test_cleared_decisions_are_in_report_md_and_junit(tmp_path, isolated_db):
    """docs/CLEARED.md: every report lists "Cleared screening matches" and "Cleared decisions
    not applied" — the CI summaries too, so a reviewer of a pull request sees every decision."""
    cleared = tmp_path / "cleared.toml"
    cleared.write_text(
        DECISION.format(name="Sophgo Technologies Ltd.", el=EL, eid="curated:el:sophgo-technologies-ltd",
                        review_by="2027-06-30")
        + DECISION.format(name="Sophgo Technologies Ltd.", el=EL, eid="curated:el:qingdao-sophgo",
                          review_by="2026-06-30"), encoding="utf-8")
    done, out = _audit(tmp_path, "S1,Antminer S21,Sophgo Technologies Ltd.\n", "--as-of", "2026-11-26",
                       "--bundled-lists-only", "--cleared", str(cleared))
    assert done.returncode == 1, done.stderr  # the other Sophgo entries still raise
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "### Cleared screening matches (1)" in md
    row = next(x for x in md.splitlines() if x.startswith("| supplier | Sophgo Technologies Ltd. | Sophgo Technologies Ltd. ("))
    assert "#curated:el:sophgo-technologies-ltd" in row and "A. Officer, 2026-01-10" in row and "2027-06-30" in row
    assert "a different company in Singapore" in row
    assert "### Cleared decisions not applied (1)" in md
    assert "was due for review on 2026-06-30" in md[md.index("### Cleared decisions not applied"):]
    case = _junit_case(out, ".ENT-001")
    text = case.find("system-out").text
    assert ("cleared screening match: supplier 'Sophgo Technologies Ltd.' against 'Sophgo Technologies Ltd.' "
            f"({EL}, #curated:el:sophgo-technologies-ltd)") in text
    assert "A. Officer, 2026-01-10, review by 2027-06-30" in text
    assert "cleared decision not applied: supplier 'Sophgo Technologies Ltd.' against 'Qingdao Sophgo'" in text


def test_a_list_dated_after_the_audit_is_a_caveat_in_report_md_and_junit(tmp_path, isolated_db):
    """An audit as of an earlier date than a list: parties delisted in between are not in it.
    report.html shows the warning; report.md and the JUnit file must too."""
    for name in ("csl_2023-11_partial.csv", "dod_1260h.csv"):
        _import(name, "2026-11-30")
    done, out = _audit(tmp_path, "P1,Antminer S21,Acme Hosting LLC\n", "--as-of", "2026-06-01")
    assert done.returncode == 0, done.stderr
    warning = ("list dod-1260h from dod_1260h.csv dates from 2026-11-30, after the audit date 2026-06-01: "
               "parties delisted in between are not in it")
    assert warning in (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "> **Warnings:**" in md
    assert ("> - list dod-1260h from dod\\_1260h.csv dates from 2026-11-30, after the audit date 2026-06-01: "
            "parties delisted in between are not in it") in md
    skipped = _junit_case(out, ".screening-lists").find("skipped")
    assert skipped is not None and warning in skipped.get("message")
    assert "list csl-csv from csl_2023-11_partial.csv dates from 2026-11-30" in skipped.get("message")
    assert "warning: " + warning in _junit_case(out, ".input").find("system-out").text


def test_a_stale_list_that_lists_update_cannot_download_says_to_import_a_newer_file(tmp_path, isolated_db):
    _import("dod_1260h.csv", "2026-11-20")
    _import("fcc_covered_list.csv", "2026-11-20")
    done, out = _audit(tmp_path, "P1,Antminer S21,Acme Hosting LLC\n", "--as-of", "2027-03-01", formats="json,md")
    assert done.returncode == 3, done.stderr  # a list older than 90 days: INCOMPLETE
    reasons = read_report(out)["incomplete_reasons"]
    dod = next(r for r in reasons if r.startswith("list dod-1260h"))
    assert dod.endswith("import a newer official file with `auditor lists import FILE --format dod-1260h "
                        "--retrieved DATE`")
    assert "lists update" not in dod and all("lists update" not in r for r in reasons)
    # The command it names exists with those options and that format.
    help_text = run_cli("lists", "import", "--help").stdout
    assert "--retrieved" in help_text and "dod-1260h" in help_text and "fcc-covered" in help_text


def test_the_expected_official_lists_are_the_lists_the_bundled_list_samples():
    """Reports call a list 'absent' when the bundled list holds a few of its entries but the
    official file was not imported: the two sets must not drift apart."""
    from auditor.refdata.curated import load_curated
    from auditor.refdata.lists_source import EXPECTED_LISTS

    entries, _ = load_curated()
    assert {e.list_name for e in entries} == set(EXPECTED_LISTS)


def test_a_bundled_only_screening_says_so_beside_the_status_on_the_page_and_the_cover(tmp_path, isolated_db):
    """No official list imported: report.md and JUnit said "only the bundled curated list … was
    screened", but the HTML header and the PDF cover read "Status COMPLETE" and "1 list file (29
    entries)", the warning two pages on. Both now say it beside the status, in report.md's words;
    the status and the exit code are unchanged."""
    done, out = _audit(tmp_path, "P1,Antminer S21,Acme Hosting LLC\n", "--as-of", "2026-11-30",
                       formats="json,html,pdf,md")
    assert done.returncode == 0, done.stderr
    doc = read_report(out)
    assert doc["status"] == "complete" and doc["screening_lists"]["official"] == []
    caveat = (f"only the bundled curated list ({doc['screening_lists']['bundled_entries']} entries) was screened, "
              "not the official lists")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"> **Screening lists:** {caveat}: import them" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    masthead = html[html.index('<header class="masthead">'):html.index("</header>")]
    status = masthead[masthead.index("<dt>Status</dt>"):]
    status = status[:status.index("</div>")]
    assert "COMPLETE</strong>" in status and caveat in status
    line = html[html.index('<p class="status-line">'):]
    line = line[:line.index("</p>")]
    assert line.index("COMPLETE") < line.index(caveat)
    summary = html[html.index('<section id="summary"'):]
    assert f'COMPLETE</strong> — <strong class="screening-caveat">{caveat}</strong>.' in summary
    # The PDF's cover: the row under the status says it; the list count alone no longer stands for it.
    from pypdf import PdfReader

    cover = re.sub(r"\s+", " ", PdfReader(str(out / "report.pdf")).pages[0].extract_text())
    assert "Status COMPLETE" in cover
    assert f"Screening {caveat}: a clean result is not a clean screening" in cover
    assert cover.index("Status COMPLETE") < cover.index(caveat) < cover.index("As-of date")
