"""JUnit XML output, read back with junitparser (the parser behind the widely used
publish-unit-test-result GitHub action), so the file is checked the way a CI viewer reads it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import junitparser
import pytest

from auditor.formats import get
from auditor.gate import Gate

from .helpers import AS_OF, PROCUREMENT, REPO, RULE_ARGS, audit_result, orig001, procurement_copy, rule_ids, run_cli


def cases(path) -> dict[str, junitparser.TestCase]:
    xml = junitparser.JUnitXml.fromfile(str(path))
    out = {}
    for suite in xml:
        for case in suite:
            out[case.classname] = case
    return out


def outcome(case) -> str:
    if not case.result:
        return "pass"
    kinds = {type(r).__name__ for r in case.result}
    return {"Failure": "failure", "Skipped": "skipped", "Error": "error"}[kinds.pop()]


@pytest.fixture(scope="module")
def bad_report(tmp_path_factory):
    work = tmp_path_factory.mktemp("junit")
    procurement_copy(work / "procurement" / "orders.csv")
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "junit",
                    "--out", "out", "--fail-on", "medium"], cwd=work)
    assert proc.returncode == 1, proc.stderr
    return work / "out" / "report.junit.xml"


def test_failing_rule_lists_the_failing_asset(bad_report):
    by_class = cases(bad_report)
    case = by_class["procurement/orders.csv.ORIG-001"]
    assert case.name == "[ORIG-001] Claimed assembly country is a foreign adversary (15 CFR 791.4)"
    assert outcome(case) == "failure"
    assert case.result[0].type == "medium" and case.result[0].message.startswith("MEDIUM: ")
    body = case.result[0].text
    assert "procurement/orders.csv:5 po:PO-2026-0142/4" in body
    assert "Claimed assembly country CN" in body
    # Rules with no findings pass; one test case per rule plus the input check.
    assert outcome(by_class["procurement/orders.csv.DQ-002"]) == "pass"
    n_rules = len(rule_ids())
    assert len(by_class) == 1 + n_rules
    suite = next(iter(junitparser.JUnitXml.fromfile(str(bad_report))))
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (1 + n_rules, 1, 0, 0)


def test_below_the_gate_passes_but_is_listed(tmp_path):
    procurement_copy(tmp_path / "orders.csv")
    proc = run_cli(*["audit", "orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "junit", "--out", "out"],
                   cwd=tmp_path)  # default gate: high; ORIG-001 is medium
    assert proc.returncode == 0, proc.stderr
    case = cases(tmp_path / "out" / "report.junit.xml")["orders.csv.ORIG-001"]
    assert outcome(case) == "pass"
    assert "orders.csv:5 po:PO-2026-0142/4" in case.system_out


def test_waived_rule_is_skipped_and_names_the_waiver(tmp_path):
    result = audit_result(PROCUREMENT)
    finding = orig001(result)
    result = replace(result, waivers={finding.fingerprint: {"id": "W-2026-007", "justification": "re-sourced"}})
    result = replace(result, gate=Gate("medium"))
    path = get("junit").write(result, tmp_path)
    case = cases(path)[f"{PROCUREMENT.name}.ORIG-001"]
    assert outcome(case) == "skipped"
    assert "W-2026-007" in case.result[0].message
    assert "po:PO-2026-0142/4" in case.result[0].text


def test_rule_not_in_force_is_skipped(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "TEST-001.toml").write_text('''
id = "TEST-001"
title = "Rule that starts applying in 2027"
severity = "high"
kind = "origin"
check = "condition"
message = "origin {assembly_country}"
remediation = "none"
references = [{ title = "test" }]
confidence = "P"

[effective]
from = 2027-01-01

[match]
field = "assembly_country"
in = ["CN"]

[[tests]]
name = "China fails"
expect = "fail"
as_of = 2027-01-01
row = { serial = "S1", model = "S21", assembly_country = "CN" }
''', encoding="utf-8")
    result = audit_result(PROCUREMENT, rule_dirs=[rules])  # as of 2026-11-26
    case = cases(get("junit").write(result, tmp_path))[f"{PROCUREMENT.name}.TEST-001"]
    assert outcome(case) == "skipped" and case.result[0].message == "rule not in force on 2026-11-26"


def test_incomplete_audit_is_an_error(tmp_path):
    csv = tmp_path / "po.csv"
    csv.write_text("PO Number,Line,Model,Country of Origin\nPO-1,1,Antminer S21,MY\nPO-1,2,Antminer S21,Narnia\n",
                   encoding="utf-8")
    proc = run_cli(*["audit", "po.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "junit", "--out", "out",
                    "--strict"], cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    case = cases(tmp_path / "out" / "report.junit.xml")["po.csv.input"]
    assert outcome(case) == "error"
    assert "po.csv:3 row not audited: unknown country 'Narnia'" in case.result[0].text


def test_hostile_cells_stay_well_formed_xml(tmp_path):
    csv = tmp_path / "po.csv"
    csv.write_text('PO Number,Line,Model,Country of Origin\n"PO-]]><x>&amp;",1,"S21 </testcase>",CN\n',
                   encoding="utf-8")
    result = audit_result(csv)
    result = replace(result, gate=Gate("medium"))
    path = get("junit").write(result, tmp_path)
    ET.parse(path)  # well-formed
    case = cases(path)[f"{csv.name}.ORIG-001"]
    assert "po:PO-]]><x>&amp;/1" in case.result[0].text


def test_test_case_names_do_not_change_between_runs(tmp_path):
    """CI viewers follow a test case by (classname, name) across builds: a name that carries the
    row counts makes every build look like a new test. Two procurement lists of different sizes
    must give the same case names."""
    names = []
    for rows in (None, 2):
        work = tmp_path / f"w{rows}"
        target = work / "procurement" / "orders.csv"
        procurement_copy(target)
        if rows is not None:  # a shorter list of the same shape
            lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
            target.write_text("".join(lines[: 1 + rows]), encoding="utf-8")
        proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "junit",
                        "--out", "out", "--fail-on", "never"], cwd=work)
        assert proc.returncode == 0, proc.stderr
        xml = junitparser.JUnitXml.fromfile(str(work / "out" / "report.junit.xml"))
        names.append(sorted((c.classname, c.name) for suite in xml for c in suite))
        input_case = cases(work / "out" / "report.junit.xml")["procurement/orders.csv.input"]
        assert "rows read" in input_case.system_out  # the counts are still shown, in the output
    assert names[0] == names[1]


def test_a_screening_case_is_named_without_a_severity_and_fails_at_its_findings_severity(tmp_path):
    """ENT-001 is a HIGH rule; a match on the SDN list is CRITICAL by the list's legal effect. The
    case name said "[HIGH][ENT-001]" over CRITICAL findings; it now names no severity (it must not
    change from build to build) and the failure carries the findings' highest."""
    csv = tmp_path / "po.csv"
    csv.write_text("serial,model,supplier\nT1,Antminer S19,BitRiver\nT2,Antminer S21,Sophgo Technologies Ltd.\n",
                   encoding="utf-8")
    proc = run_cli("audit", "po.csv", "--as-of", AS_OF, "--rules", str(REPO / "rules/entity/ENT-001.toml"),
                   "--bundled-lists-only",
                   "--format", "junit", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    case = cases(tmp_path / "out" / "report.junit.xml")["po.csv.ENT-001"]
    assert case.name.startswith("[ENT-001] ")
    (failure,) = case.result
    assert failure.type == "critical" and failure.message.startswith("CRITICAL: 2 finding(s) fail the gate")
    assert "T1 (critical)" in failure.text and "T2 (high)" in failure.text


def test_rows_rejected_without_strict_fail_the_every_row_case(tmp_path):
    """Without --strict the audit is complete and exits as its findings say, but the case
    named "every row read and audited" failed to say that rows were not: a listed supplier
    on such a row would pass in silence (the second new user's purchase order)."""
    orders = procurement_copy(tmp_path / "procurement" / "orders.csv", fixed=True)
    lines = orders.read_text(encoding="utf-8").splitlines()
    lines.append(lines[-1] + ",one field too many")
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "junit",
                    "--out", "out"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr  # the exit code is --strict's to change
    case = cases(tmp_path / "out" / "report.junit.xml")["procurement/orders.csv.input"]
    assert outcome(case) == "failure"
    assert case.result[0].message == "1 row rejected, not audited (--strict makes the audit INCOMPLETE)"
    assert f"procurement/orders.csv:{len(lines)} row not audited" in case.result[0].text
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "junit",
                    "--out", "strict", "--strict"], cwd=tmp_path)
    assert proc.returncode == 3
    assert outcome(cases(tmp_path / "strict" / "report.junit.xml")["procurement/orders.csv.input"]) == "error"
