"""Needs action first, informational figures apart, severity order everywhere (issue 16, items 1 and 3).

A six-rig inventory whose findings are counted by hand (rules: data_quality, ORIG-001, ORIG-002):
  line 2  A1 CN                    ORIG-001 medium
  line 3  A2 VE                    ORIG-002 info (the Venezuela entry names a regime: review only)
  line 4  A3 MY, MAC "zz"          DQ-003 low
  line 5  A4 MY  } same serial     DQ-002 high on both rigs
  line 6  A4 MY  }
  line 7  A6 MY                    nothing
Rigs with a finding at or above low: lines 2, 4, 5, 6 = 4; informational: 1 finding on 1 rig.
Actions, most severe first: DQ-002 (high, 2 rigs), ORIG-001 (medium, 1), DQ-003 (low, 1).
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from pypdf import PdfReader

from .conftest import REPO, audit, report_json, run_cli

FLEET = (
    "serial,manufacturer,model,assembly_country,site,mac\n"
    "A1,Bitmain,Antminer S21,CN,Alpha,02:00:00:00:00:01\n"
    "A2,Bitmain,Antminer S21,VE,Alpha,02:00:00:00:00:02\n"
    "A3,Bitmain,Antminer S21,MY,Alpha,zz\n"
    "A4,Bitmain,Antminer S21,MY,Beta,02:00:00:00:00:04\n"
    "A4,Bitmain,Antminer S21,MY,Beta,02:00:00:00:00:05\n"
    "A6,Bitmain,Antminer S21,MY,Beta,02:00:00:00:00:06\n"
)
ORDER = ["critical", "high", "medium", "low", "info"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    d = tmp_path_factory.mktemp("actions")
    (d / "fleet.csv").write_text(FLEET, encoding="utf-8")
    return audit(d / "fleet.csv", d / "out", "json,html,pdf,csv,md")


def test_rigs_with_a_finding_count_low_and_above_and_info_apart(report):
    s = report_json(report)["summary"]
    assert s["by_severity"] == {"critical": 0, "high": 2, "medium": 1, "low": 1, "info": 1}
    assert s["assets"] == 6 and s["assets_with_findings"] == 4
    assert s["informational"] == {"findings": 1, "assets": 1}


def test_actions_are_distinct_problems_most_severe_then_most_rigs(report):
    actions = report_json(report)["actions"]
    assert [(a["severity"], a["rule_id"], a["rigs"], a["findings"]) for a in actions] == [
        ("high", "DQ-002", 2, 2), ("medium", "ORIG-001", 1, 1), ("low", "DQ-003", 1, 1)]
    assert all(a["what_to_do"] for a in actions)


def _positions(pdf, page: int) -> dict[str, float]:
    """Top y (PDF points from the bottom) of each text fragment on a page, as pypdf reads it."""
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        t = text.strip()
        if t and t not in found:
            found[t] = tm[5] * cm[3] + cm[5]

    PdfReader(str(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def test_pdf_cover_states_status_dates_and_actions_in_order(report):
    pdf = report / "report.pdf"
    cover = re.sub(r"\s+", " ", PdfReader(str(pdf)).pages[0].extract_text())
    assert "Status COMPLETE" in cover and "As-of date 2026-11-26" in cover and "Law researched" in cover
    assert "Needs action" in cover
    # No informational item among the actions: ORIG-002 (info) is not on the cover at all.
    assert "ORIG-002" not in cover and "Venezuela" not in cover
    y = _positions(pdf, 0)
    ids = {k: v for k, v in y.items() if k in ("DQ-002", "ORIG-001", "DQ-003")}
    assert len(ids) == 3, y.keys()
    assert ids["DQ-002"] > ids["ORIG-001"] > ids["DQ-003"]  # top to bottom: high, medium, low


def test_html_first_screen_is_status_and_actions(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    main = html[html.index("<main>"):]
    # The first section of the page is "Needs action", before the executive summary.
    assert main.index('id="actions"') < main.index('id="summary"')
    section = main[main.index('id="actions"'):main.index('id="summary"')]
    assert "COMPLETE" in section and "2026-11-26" in section and "law researched" in section
    rows = re.findall(r'<tr class="sev-(\w+)">.*?<span class="mono nowrap">([\w-]+)</span>', section, re.S)
    assert rows == [("high", "DQ-002"), ("medium", "ORIG-001"), ("low", "DQ-003")]


def _severities(rows):
    return [ORDER.index(s) for s in rows]


def test_severity_order_in_json_csv_html_data_and_markdown(report):
    doc = report_json(report)
    sev = _severities(f["severity"] for f in doc["findings"])
    assert sev == sorted(sev) and sev[0] == ORDER.index("high") and sev[-1] == ORDER.index("info")
    with open(report / "findings.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["rule_id"] for r in rows] == [f["rule_id"] for f in doc["findings"]]
    # The interactive table's data (its default order) follows the same order.
    html = (report / "report.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', html, re.S)[1])
    sevs = [r[1] for r in data["rows"]]  # Severity values: info 0 … critical 4
    assert sevs == sorted(sevs, reverse=True)
    md = (report / "report.md").read_text(encoding="utf-8")
    top = md[md.index("### Top rules"):]
    order = [m for m in re.findall(r"^\| (DQ-\d+|ORIG-\d+) \|", top, re.M)]
    assert order == ["DQ-002", "ORIG-001", "DQ-003", "ORIG-002"]


def test_tariff_section_says_when_import_dates_are_missing_and_the_audit_date_was_used(tmp_path):
    """The sample fleet has rigs without an import date: the tariff section says how many, and
    that their duty "at import" used the audit date — in the PDF and in the HTML page."""
    sample_report = tmp_path / "out"
    assert run_cli(["audit", str(REPO / "sample_inventory.csv"), "--out", str(sample_report), "--as-of", "2026-11-26",
                    "--format", "json,html,pdf", "--bundled-lists-only", "--no-record", "-q"]).returncode == 1
    # Rigs of the sample with a (dutiable, non-US) origin and no import date, read from the file itself.
    with open(REPO / "sample_inventory.csv", encoding="utf-8-sig", newline="") as fh:
        missing = [r for r in csv.DictReader(fh)
                   if not (r["Import Date"] or "").strip() and (r["Assembly Country"] or "US") != "US"]
    assert len(missing) == 1  # the sample plants one
    said = "1 rig has no import date: its duty “at import” is estimated at the rates in force on the audit date (2026-11-26)"
    doc = report_json(sample_report)
    assert doc["tariff_exposure"]["rigs_import_date_missing"] == 1 and said in doc["tariff_exposure"]["import_date_note"]
    pdf = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(sample_report / "report.pdf")).pages))
    assert said in pdf
    html = (sample_report / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="tariff">'):]
    assert said in re.sub(r"<[^>]+>", "", section)
