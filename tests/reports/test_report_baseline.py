"""Baseline ("new since last audit") and waiver states as every report format shows them.

The scenario is the hand-counted hostile inventory (conftest.HOSTILE_CSV, 15 findings) audited
against a baseline report.json made from the same inventory with lines 5 (R004, HK), 9 (R008,
bad MAC) and 10 (R001's second row) removed and one extra CN rig R099 added. Counted by hand:
  new:       ORIG-001 R004; DQ-003 R008; DQ-002 R001 twice (R001 is a duplicate only now)  -> 4
  unchanged: the other 11 findings                                                         -> 11
  absent:    ORIG-001 R099 (in the baseline only)                                          -> 1
Waivers: W-DUP (in force) waives DQ-002 for R001 (2 high findings); W-OLD expired on
2026-11-01, before the as-of date, so DQ-003 for R008 is open again with a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from conftest import read_report
from playwright.sync_api import sync_playwright

from .conftest import AS_OF, CHROMIUM_ARGS, HOSTILE_CSV, HOSTILE_TOTAL, RULES, audit, report_json, require_tool, run_cli
from .test_report_pdf import text_of

NEW, UNCHANGED, ABSENT = 4, 11, 1
WAIVERS = """\
[[waiver]]
id = "W-DUP"
rule = "DQ-002"
serial = "R001"
justification = "Second R001 is a relabelled spare, ticket OPS-7"
approver = "Jane Roe, CCO"
created = 2026-10-01
expires = 2027-01-01

[[waiver]]
id = "W-OLD"
rule = "DQ-003"
serial = "R008"
justification = "MAC label reprint ordered"
approver = "Jane Roe, CCO"
created = 2026-06-01
expires = 2026-11-01
"""


def baseline_csv() -> str:
    lines = HOSTILE_CSV.splitlines(keepends=True)
    kept = [ln for i, ln in enumerate(lines, start=1) if i not in (5, 9, 10)]
    return "".join(kept) + "R099,Bitmain,Antminer S21,CN,Delta,02:00:00:00:00:99,Acme Ltd\n"


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    d = tmp_path_factory.mktemp("baseline")
    (d / "before.csv").write_text(baseline_csv(), encoding="utf-8")
    audit(d / "before.csv", d / "before", formats="json")
    (d / "hostile.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    (d / "waivers.toml").write_text(WAIVERS, encoding="utf-8")
    args = ["audit", str(d / "hostile.csv"), "--out", str(d / "out"), "--as-of", AS_OF, "--format", "html,pdf,json,csv",
            "--baseline", str(d / "before" / "report.json"), "--waivers", str(d / "waivers.toml"), "-q"]
    for r in RULES:
        args += ["--rules", str(r)]
    assert run_cli(*args, in_process=True).returncode == 1  # DQ-002 for the <img> serial stays open and high
    return d / "out"


def by_key(doc: dict) -> dict:
    out: dict = {}
    for f in doc["findings"]:
        out.setdefault((f["rule_id"], f["asset"]["serial"]), []).append(f)
    return out


def test_report_json_counts_states_absent_and_notes(compared):
    doc = report_json(compared)
    assert doc["summary"]["baseline"] == {"new": NEW, "unchanged": UNCHANGED, "absent": ABSENT}
    states = by_key(doc)
    new = sorted(k for k, fs in states.items() for f in fs if f["baseline_state"] == "new")
    assert new == [("DQ-002", "R001"), ("DQ-002", "R001"), ("DQ-003", "R008"), ("ORIG-001", "R004")]
    # Complete list of the baseline's findings that are gone, as the baseline recorded them.
    absent = doc["absent_findings"]
    assert [(f["rule_id"], f["asset"]["serial"]) for f in absent] == [("ORIG-001", "R099")]
    assert absent[0]["message"].startswith("Claimed assembly country CN")
    # Expired waiver: the finding is open and says why it came back; the waived ones have no note.
    (r008,) = states[("DQ-003", "R008")]
    assert r008["status"] == "open" and r008["waiver_note"] == "waiver W-OLD expired on 2026-11-01"
    assert all(f["status"] == "waived" and "waiver_note" not in f for f in states[("DQ-002", "R001")])
    assert sum("waiver_note" in f for f in doc["findings"]) == 1


def test_report_json_without_baseline_has_no_absent_findings(hostile_report):
    doc = report_json(hostile_report)
    assert "absent_findings" not in doc and "baseline" not in doc["summary"]
    assert all("baseline_state" not in f and "waiver_note" not in f for f in doc["findings"])


def test_report_json_findings_read_back_whole_equal_finding_as_json(tmp_path):
    """report.json v2 writes shared groups and rules once; read back, every finding is exactly
    Finding.as_json (the version-1 shape) — with every optional key: waived, expired-waiver
    note, new and unchanged."""
    from datetime import date

    from auditor.formats.json_format import FORMAT
    from auditor.waivers import apply_waivers, load_waivers
    from tests.store.test_waivers import GOOD, fleet

    r = fleet(date(2025, 6, 18))
    p = tmp_path / "w.toml"
    p.write_text(GOOD)
    r = apply_waivers(r, load_waivers(p, r.as_of))
    findings = list(r.iter_findings())
    assert {f.status for f in findings} == {"open", "waived"}
    assert any(f.waiver_note for f in findings)
    r = replace(r, baseline={findings[0].fingerprint: "unchanged"})
    findings = list(r.iter_findings())
    FORMAT.write(r, tmp_path)
    raw = json.loads((tmp_path / "report.json").read_text())
    assert raw["schema_version"] == "2"
    assert len(raw["groups"]) < len(raw["findings"])  # shared parts written once
    assert read_report(tmp_path)["findings"] == [json.loads(json.dumps(f.as_json(), default=str)) for f in findings]
    noted = [f for f in raw["findings"] if "waiver_note" in f]
    assert noted and noted[0]["waiver_note"] == "waiver W-OLD expired on 2025-06-18"


def test_pdf_shows_counts_new_markers_absent_and_waived_apart(compared):
    text = text_of(compared / "report.pdf")
    assert (f"{NEW} new since the baseline (report.json), {UNCHANGED} unchanged, "
            f"{ABSENT} no longer present") in text
    first = text_of(compared / "report.pdf", range(0, 1))
    assert f"{NEW} new, {UNCHANGED} unchanged, {ABSENT} no longer present" in first  # cover
    # Listed high findings: R001's two DQ-002 rows are new (and waived); the <img> ones are not new.
    # (File:line holds the inventory path as given on the command line, here absolute: hence \S*.)
    assert re.search(r"R001 Alpha \S* ?hostile\.csv:2 waived \(W-DUP, until 2027-01-01\) NEW ", text)
    assert re.search(r"R001 Beta \S* ?hostile\.csv:10 waived \(W-DUP, until 2027-01-01\) NEW ", text)
    assert re.search(r"hostile\.csv:7 open [0-9a-f]", text) and re.search(r"hostile\.csv:12 open [0-9a-f]", text)
    # The one absent finding, with rule, rig and message.
    assert "No longer present (1)" in text
    assert re.search(r"ORIG-001 R099 medium Claimed assembly country CN", text)
    # Waived findings are not "needing action": 2 of DQ-002's 4 high findings are open, on 2 rigs:
    # the cover's first action says 2 rigs, and the summary counts the waived ones apart.
    assert re.search(r"Needs action Severity Problem Rigs What to do HIGH Duplicate serial number DQ-002 2 ", first)
    assert [(a["rule_id"], a["rigs"], a["findings"], a["waived"]) for a in report_json(compared)["actions"]
            if a["rule_id"] == "DQ-002"] == [("DQ-002", 2, 2, 2)]
    assert "2 high or critical findings are waived" in text


@pytest.fixture(scope="module")
def browser():
    exe = require_tool("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_html_new_marker_filter_order_and_waiver_note(browser, compared):
    ctx = browser.new_context()
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((compared / "report.html").as_uri())
        page.wait_for_selector("html[data-ready=true]")
        summary = " ".join(page.locator("#summary").inner_text().split())
        assert f"{NEW} new since the baseline (report.json), {UNCHANGED} unchanged, {ABSENT} no longer present" in summary
        rows = page.locator("#findings-body tr.finding")
        assert rows.count() == HOSTILE_TOTAL
        # Default order: by rule, new findings first within each rule (ORIG-001: R004 at line 5 leads).
        table = [(r[2], r[3], r[5].rsplit("/", 1)[-1]) for r in (t.split("\t") for t in rows.evaluate_all(
            "rs => rs.map(r => [...r.cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim()).join('\\t'))"))]
        orig = [loc for rule, _, loc in table if rule == "ORIG-001"]
        assert orig[0] == "hostile.csv:5" and orig[1:] == [f"hostile.csv:{n}" for n in (2, 3, 6, 7, 8, 13, 14)]
        dq2 = [loc for rule, _, loc in table if rule == "DQ-002"]
        assert dq2 == ["hostile.csv:2", "hostile.csv:10", "hostile.csv:7", "hostile.csv:12"]
        # A visible "new" marker on exactly the new findings.
        marked = page.locator("#findings-body tr.finding:has(.badge-new)")
        assert marked.count() == NEW and all(m.is_visible() for m in marked.locator(".badge-new").all())
        # Filter: new / unchanged.
        options = page.locator("#f-change option").all_inner_texts()
        assert options == ["all", f"new ({NEW})", f"unchanged ({UNCHANGED})"]
        page.select_option("#f-change", "1")
        assert rows.count() == NEW
        assert sorted(rows.locator("td.asset").all_inner_texts()) == ["R001", "R001", "R004", "R008"]
        page.select_option("#f-change", "0")
        assert rows.count() == UNCHANGED and page.locator("#findings-body .badge-new").count() == 0
        page.locator("#f-reset").click()
        # The expired waiver is shown on its finding.
        page.fill("#f-search", "R008")
        assert "waiver W-OLD expired on 2026-11-01 — reopened" in rows.first.inner_text()
        # Absent findings are listed (rule, rig, message).
        absent = page.locator("#absent table.absent tbody tr")
        assert absent.count() == 1
        assert absent.first.inner_text().split("\t")[:2] == ["ORIG-001", "R099"]
        assert errors == []
    finally:
        ctx.close()


def test_html_without_javascript_marks_new_and_notes(browser, compared):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto((compared / "report.html").as_uri())
        first = page.locator("#rule-ORIG-001 table.findings tbody tr").first
        assert first.locator("td").first.inner_text() == "R004" and first.locator(".badge-new").is_visible()
        r008 = page.locator("#rule-DQ-003 table.findings tbody tr").first
        assert "waiver W-OLD expired on 2026-11-01 — reopened" in r008.inner_text()
        # The first screen's actions count open findings only (2 of DQ-002's 4 are waived).
        row = page.locator("#actions table.actions tbody tr").first
        assert row.locator("td").nth(2).inner_text() == "2" and "Duplicate serial number" in row.inner_text()
        assert "2 high or critical findings are waived" in " ".join(page.locator("#summary").inner_text().split())
    finally:
        ctx.close()


def test_all_severe_waived_means_nothing_needs_action(tmp_path):
    # Waive every DQ-002 finding (the only high rule): nothing is listed as needing action.
    inv = tmp_path / "fleet.csv"
    inv.write_text("serial,manufacturer,model,assembly_country,site\n"
                   "D1,Bitmain,Antminer S21,MY,Alpha\nD1,Bitmain,Antminer S21,MY,Alpha\n", encoding="utf-8")
    w = tmp_path / "w.toml"
    w.write_text(WAIVERS.split("\n\n")[0].replace('"R001"', '"D1"') + "\n", encoding="utf-8")
    args = ["audit", str(inv), "--out", str(tmp_path / "out"), "--as-of", AS_OF, "--format", "pdf,json",
            "--waivers", str(w), "-q"]
    for r in RULES:
        args += ["--rules", str(r)]
    assert run_cli(*args, in_process=True).returncode in (0, 1)
    doc = report_json(tmp_path / "out")
    assert doc["summary"]["by_severity"]["high"] == 2 and doc["summary"]["waived"] == 2
    text = text_of(tmp_path / "out" / "report.pdf")
    assert doc["actions"] == []
    assert "No finding needs action (2 waived)." in text_of(tmp_path / "out" / "report.pdf", range(0, 1))
    assert "No open finding needs action: the 2 high or critical findings are waived" in text


def test_diff_against_last_recorded_audit_says_last_audit(tmp_path):
    """--diff-against previous (history database): the same counts, worded "since the last audit"."""
    db = f"sqlite:///{tmp_path / 'history.sqlite'}"
    (tmp_path / "before.csv").write_text(baseline_csv(), encoding="utf-8")
    (tmp_path / "hostile.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    rules = [a for r in RULES for a in ("--rules", str(r))]
    common = ["--as-of", AS_OF, "--db", db, "--bundled-lists-only", "-q", *rules]
    assert run_cli("audit", tmp_path / "before.csv", "--out", tmp_path / "a", "--format", "json", "--record",
                   *common, in_process=True).returncode == 1
    assert run_cli("audit", tmp_path / "hostile.csv", "--out", tmp_path / "b", "--format", "html,json",
                   "--diff-against", "previous", *common, in_process=True).returncode == 1
    doc = report_json(tmp_path / "b")
    assert doc["summary"]["baseline"] == {"new": NEW, "unchanged": UNCHANGED, "absent": ABSENT}
    assert [(f["rule_id"], f["asset"]["serial"]) for f in doc["absent_findings"]] == [("ORIG-001", "R099")]
    html = (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
    assert re.search(rf"<strong>{NEW} new since the last audit</strong> \(run 1, as of {AS_OF}\),\s+{UNCHANGED} unchanged",
                     html)
