"""The shipped origin, tariff and firmware rules: self-tests, and an audit of the sample inventory."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import read_report

from auditor.cli import main
from auditor.engine.loader import load_rules
from auditor.engine.selftest import run_all
from auditor.refdata.rule_data import lint_refdata, self_test_refdata

REPO = Path(__file__).resolve().parents[2]
PACKS = [REPO / "rules" / d for d in ("origin", "tariff", "firmware")]


def test_self_tests_pass_and_cover_boundaries():
    rules = [r for r in load_rules(PACKS) if r.check_kind in ("tariff", "origin_claim", "firmware")]
    assert {r.id for r in rules} >= {"ORIG-010", "ORIG-011", "TARIFF-001", "TARIFF-002",
                                     "FW-001", "FW-002", "FW-003", "FW-004", "FW-005", "FW-006"}
    outcomes = run_all(rules, self_test_refdata(), date(2026, 11, 26))
    failed = [(o.rule_id, o.test.name, o.actual, o.detail) for o in outcomes if not o.ok]
    assert failed == []
    for r in rules:
        assert {"fail", "pass"} <= {t.expect for t in r.tests}, r.id
    # The IEEPA end is tested on the day before and the day of (the Section 122 window, a figure in
    # the tariff table, by the schedule's own tests: tests/refdata).
    days = {(r.id, t.rows[0].get("import_date")) for r in rules for t in r.tests}
    for d in (date(2026, 2, 23), date(2026, 2, 24)):
        assert ("TARIFF-002", d) in days


def test_rules_reference_existing_advisories():
    assert lint_refdata(rules=load_rules(PACKS)) == []


def test_audit_of_sample_inventory(tmp_path):
    out = tmp_path / "out"
    args = ["audit", str(REPO / "sample_inventory.csv"), "--as-of", "2026-11-26", "--format", "json,csv",
            "--out", str(out), "--fail-on", "never", "-q"] + [a for p in PACKS for a in ("--rules", str(p))]
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0
    report = read_report(out)
    findings = report["findings"]
    by_serial = {}
    for f in findings:
        by_serial.setdefault(f["asset"]["serial"], {})[f["rule_id"]] = f

    # Per-rig estimates are figures in tariff_rigs.csv. Hand-computed: AN2400013, China, imported
    # 2025-09-26, 4200 USD: 2.6% + 25% + 20% (fentanyl) + 10% (reciprocal) = 57.6% → 2419.20 USD.
    with open(out / "tariff_rigs.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rigs = {r["serial"]: r for r in rows}
    t = rigs["AN2400013"]
    assert t["rate_at_import"] == "57.6%" and t["duty_at_import_usd"] == "2419.20"
    assert "TARIFF-001" not in by_serial["AN2400013"]  # below the USD 2,500 attention threshold: no finding
    # WH2300001, Thailand, imported 2024-12-28 (before the assembly-country rates), 7900 USD: 2.6% → 205.40.
    assert rigs["WH2300001"]["duty_at_import_usd"] == "205.40"
    # Findings only above the threshold: each TARIFF-001 rig's duty exceeds USD 2,500.
    flagged = {s for s, f in by_serial.items() if "TARIFF-001" in f}
    assert flagged and all(Decimal(rigs[s]["duty_at_import_usd"]) > 2500 for s in flagged)
    assert flagged == {s for s, r in rigs.items() if r["duty_at_import_usd"] and Decimal(r["duty_at_import_usd"]) > 2500}

    # The fleet total is the sum of the per-rig estimates (one row per rig, duplicate serials included).
    assert len(rows) == report["summary"]["assets"]
    per_rig = sum(Decimal(r["duty_at_import_usd"]) for r in rows if r["duty_at_import_usd"])
    assert Decimal(report["summary"]["tariff_exposure_usd"]) == per_rig > 0
    assert {e["origin"] for e in report["tariff_exposure"]["by_origin"]} >= {"CN", "MY"}

    # An implausible US-assembly claim: Canaan rig made 2025-02-10, pilot line started after 2025-04-02.
    o = by_serial["AV2500905"]["ORIG-010"]
    assert o["severity"] == "medium" and "after 2025-04-02" in o["message"]
    # Bitmain's conflicting US dates are uncertain: info only.
    assert by_serial["AN2400904"]["ORIG-010"]["severity"] == "info"

    fw = {f["rule_id"] for f in findings if f["kind"] == "firmware"}
    assert {"FW-001", "FW-002"} <= fw


def test_html_report_shows_rate_at_import_and_as_of(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(SystemExit):
        main(["audit", str(REPO / "sample_inventory.csv"), "--as-of", "2026-11-26", "--format", "html",
              "--out", str(out), "--fail-on", "never", "-q", "--rules", str(REPO / "rules" / "tariff")])
    html = (out / "report.html").read_text()
    row = html[html.index('<tr class="tariff-origin"><th scope="row">CN China</th>'):]
    row = row[: row.index("</tr>")]
    # China-origin rigs: 57.6% for the spring-2025 imports (among others), 27.6% on the audit date.
    assert "57.6% (" in row and "<td>27.6%</td>" in row
    assert "rates in force on 2026-11-26" in html
