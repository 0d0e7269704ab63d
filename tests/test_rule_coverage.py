"""Rule coverage: a rule lacking a field it needs never looks clean.

Removing the country column must stop the origin and tariff rules, make the audit
INCOMPLETE (exit 3) unless acknowledged, and every format must say which rules did not
run and why.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

from conftest import REPO, read_report, run_cli

from auditor.refdata.rule_data import EXAMPLE_APPROVED_FIRMWARE

ORIGIN_AND_TARIFF = ["ORIG-001", "ORIG-002", "ORIG-010", "ORIG-011", "TARIFF-001", "TARIFF-002"]


def _without_column(src, dst, header: str) -> None:
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    k = rows[0].index(header)
    with open(dst, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([r[:k] + r[k + 1:] if len(r) > k else r for r in rows])


def _blank_column(src, dst, header: str) -> None:
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    k = rows[0].index(header)
    for r in rows[1:]:
        if len(r) > k:
            r[k] = ""
    with open(dst, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def audit(tmp_path, *inventories, extra=()):
    out = tmp_path / "out"
    proc = run_cli("audit", *map(str, inventories), "--out", str(out), "--as-of", "2026-11-26",
                   "--format", "json,html,md,junit,sarif", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, out


def test_no_country_column_is_incomplete_and_every_format_names_the_rules(tmp_path):
    inv = tmp_path / "fleet.csv"
    _without_column(REPO / "sample_inventory.csv", inv, "Assembly Country")
    proc, out = audit(tmp_path, inv)
    assert proc.returncode == 3, proc.stderr
    # The one-line summary (all that -q prints) names the rules and the field.
    summary = proc.stdout.strip().splitlines()[-1]
    assert "status incomplete" in summary
    assert "ORIG-001" in summary and "TARIFF-002" in summary and "assembly_country" in summary
    assert "INCOMPLETE" in proc.stderr and "--allow-missing assembly_country" in proc.stderr

    doc = read_report(out)
    cov = {c["rule_id"]: c for c in doc["rule_coverage"]}
    for rule in ORIGIN_AND_TARIFF:
        assert cov[rule]["status"] == "not_evaluated", cov[rule]
        gap = cov[rule]["not_evaluated_on"][0]
        assert gap["fields"] == ["assembly_country"] and gap["reason"] == "no column"
        assert gap["acknowledged"] is False and gap["rows"] == doc["summary"]["rows_audited"]
    assert cov["ENT-001"]["status"] == "evaluated"
    assert not any(f["rule_id"] in ORIGIN_AND_TARIFF for f in doc["findings"])
    assert doc["status"] == "incomplete"

    md = (out / "report.md").read_text()
    assert "INCOMPLETE" in md and "ORIG-010" in md and "TARIFF-002" in md
    html = (out / "report.html").read_text()
    assert 'id="rules-not-evaluated"' in html and "ORIG-011" in html

    junit = ET.parse(out / "report.junit.xml").getroot()
    errors = {c.get("classname").rsplit(".", 1)[-1]: c.find("error") for c in junit.iter("testcase")}
    for rule in ORIGIN_AND_TARIFF:
        assert errors[rule] is not None and errors[rule].get("type") == "not-evaluated", rule
        assert "assembly_country" in errors[rule].get("message")

    sarif = json.loads((out / "report.sarif").read_text())
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    skipped = {n["associatedRule"]["id"] for n in notes if n["descriptor"]["id"] == "rule-not-evaluated"}
    assert skipped == set(ORIGIN_AND_TARIFF)
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_allow_missing_acknowledges_but_still_reports(tmp_path):
    inv = tmp_path / "fleet.csv"
    _without_column(REPO / "sample_inventory.csv", inv, "Assembly Country")
    # A header alias names the field as well as its canonical name.
    proc, out = audit(tmp_path, inv, extra=["--allow-missing", "Country of Origin", "--fail-on", "never"])
    assert proc.returncode == 0, proc.stderr
    assert "not evaluated (acknowledged)" in proc.stdout
    doc = read_report(out)
    assert doc["status"] == "complete"
    cov = {c["rule_id"]: c for c in doc["rule_coverage"]}
    assert cov["ORIG-001"]["status"] == "not_evaluated" and cov["ORIG-001"]["acknowledged"] is True
    assert any("ORIG-001 not evaluated (acknowledged)" in line for line in doc["rules_not_evaluated"])
    md = (out / "report.md").read_text()
    assert "Rules not evaluated" in md and "ORIG-001" in md
    junit = ET.parse(out / "report.junit.xml").getroot()
    case = next(c for c in junit.iter("testcase") if c.get("classname").endswith(".ORIG-001"))
    assert case.find("skipped") is not None and "acknowledged" in case.find("skipped").get("message")


def test_a_column_empty_on_every_row_is_missing_too(tmp_path):
    inv = tmp_path / "fleet.csv"
    _blank_column(REPO / "sample_inventory.csv", inv, "Assembly Country")
    proc, out = audit(tmp_path, inv)
    assert proc.returncode == 3
    doc = read_report(out)
    gap = next(c for c in doc["rule_coverage"] if c["rule_id"] == "ORIG-001")["not_evaluated_on"][0]
    assert gap["reason"] == "empty on every row"


def test_partial_coverage_judges_only_the_file_that_has_the_field(tmp_path):
    with_country = tmp_path / "a.csv"
    with_country.write_text("serial,model,assembly_country\nA1,Antminer S21,CN\n")
    without = tmp_path / "b.csv"
    without.write_text("serial,model\nB1,Antminer S21\n")
    proc, out = audit(tmp_path, with_country, without)
    assert proc.returncode == 3
    doc = read_report(out)
    cov = next(c for c in doc["rule_coverage"] if c["rule_id"] == "ORIG-001")
    assert cov["status"] == "partial"
    assert [g["file"] for g in cov["not_evaluated_on"]] == ["b.csv"]
    orig = [f for f in doc["findings"] if f["rule_id"] == "ORIG-001"]
    assert [f["asset"]["serial"] for f in orig] == ["A1"]


def test_unknown_allow_missing_field_is_a_usage_error(tmp_path):
    proc, _ = audit(tmp_path, REPO / "sample_inventory.csv", extra=["--allow-missing", "favourite colour"])
    assert proc.returncode == 2 and "unknown field" in proc.stderr and "assembly_country" in proc.stderr


def test_rules_may_declare_what_they_need(tmp_path):
    rule = tmp_path / "X-001.toml"
    rule.write_text(
        'id = "X-001"\ntitle = "t"\nseverity = "low"\nkind = "data_quality"\ncheck = "condition"\n'
        'needs = ["site"]\nconfidence = "P"\nmessage = "m"\nreferences = [{ title = "r" }]\n'
        '[effective]\nundated = "a test rule"\n[match]\nfield = "serial"\nexists = false\n'
    )
    inv = tmp_path / "fleet.csv"
    inv.write_text("serial,model\nA1,Antminer S21\n")
    out = tmp_path / "out"
    proc = run_cli("audit", str(inv), "--rules", str(rule), "--out", str(out), "--as-of", "2026-11-26")
    assert proc.returncode == 3 and "X-001" in proc.stdout and "site" in proc.stdout
    bad = tmp_path / "bad" / "X-002.toml"
    bad.parent.mkdir()
    bad.write_text(rule.read_text().replace("X-001", "X-002").replace('needs = ["site"]', 'needs = ["colour"]'))
    proc = run_cli("audit", str(inv), "--rules", str(bad), "--out", str(tmp_path / "out2"), "--as-of", "2026-11-26")
    assert proc.returncode == 2 and "X-002.toml:6" in proc.stderr and "unknown field 'colour'" in proc.stderr


def test_pdf_names_the_rules_that_did_not_run(tmp_path):
    from pypdf import PdfReader

    inv = tmp_path / "fleet.csv"
    _without_column(REPO / "sample_inventory.csv", inv, "Assembly Country")
    out = tmp_path / "out"
    proc = run_cli("audit", str(inv), "--out", str(out), "--as-of", "2026-11-26", "--format", "pdf",
                   "--allow-missing", "assembly_country", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(out / "report.pdf").pages]
    assert "rule(s) were not evaluated" in pages[0] and "ORIG-001" in pages[0]  # the cover says so
    text = " ".join(pages)
    assert "Rules not evaluated" in text and "TARIFF-002 not evaluated (acknowledged)" in text


def test_rules_with_nothing_to_compare_against_are_not_applicable_never_passed(tmp_path):
    """Found by a tryout (2026-12-04): without --devices the seven device rules, and without
    --approved-firmware the approved-firmware rule, showed in JUnit as passing test cases, and
    FW-005 as "evaluated" in report.json, though they judged nothing. They are now "not
    applicable", skipped with the reason; given what they compare against, they run."""
    proc, out = audit(tmp_path, REPO / "sample_inventory.csv", extra=("--bundled-lists-only",))
    assert proc.returncode in (0, 1), proc.stderr
    cov = {c["rule_id"]: c for c in read_report(out)["rule_coverage"]}
    devices = [f"DEV-00{k}" for k in range(1, 8)]
    for rule in devices:
        assert cov[rule]["status"] == "not_applicable" and "--devices" in cov[rule]["detail"], cov[rule]
    assert cov["FW-005"] == {"rule_id": "FW-005", "status": "not_applicable",
                             "detail": "no approved-firmware list given (--approved-firmware)"}
    cases = {c.get("classname").rsplit(".", 1)[-1]: c for c in ET.parse(out / "report.junit.xml").getroot().iter("testcase")}
    for rule in [*devices, "FW-005"]:
        skipped = cases[rule].find("skipped")
        assert skipped is not None and skipped.get("message").startswith("rule does not apply: "), rule
        assert cases[rule].find("failure") is None
    assert cases["FW-001"].find("skipped") is None  # an advisory rule still runs

    (tmp_path / "with-list").mkdir()
    proc, out = audit(tmp_path / "with-list", REPO / "sample_inventory.csv",
                      extra=("--bundled-lists-only", "--approved-firmware", str(EXAMPLE_APPROVED_FIRMWARE)))
    assert proc.returncode in (0, 1), proc.stderr
    cov = {c["rule_id"]: c for c in read_report(out)["rule_coverage"]}
    assert cov["FW-005"]["status"] == "evaluated"
    assert any(f["rule_id"] == "FW-005" for f in read_report(out)["findings"])
