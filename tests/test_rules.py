"""Every bundled rule's self-tests, and the loader's errors on broken rule files."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from auditor.engine.checks.base import RuleError
from auditor.engine.loader import load_rule, load_rules
from auditor.engine.selftest import run_test

from conftest import REPO, run_cli

RULES = load_rules([REPO / "rules"])
CASES = [(r, t) for r in RULES for t in r.tests]


@pytest.fixture(scope="module")
def refdata():
    from auditor.refdata.loader import selftest_refdata

    return selftest_refdata()


@pytest.mark.parametrize("rule,test", CASES, ids=[f"{r.id}: {t.name}" for r, t in CASES])
def test_bundled_rule_self_tests(rule, test, refdata):
    outcome = run_test(rule, test, refdata, date(2026, 11, 26))
    assert outcome.actual == test.expect, outcome.detail


def test_every_rule_has_a_failing_and_a_passing_self_test():
    for rule in RULES:
        expects = {t.expect for t in rule.tests}
        assert {"fail", "pass"} <= expects, rule.id


def test_every_rule_cites_a_source_and_its_id_is_its_file_name():
    for rule in RULES:
        assert rule.references, rule.id
        assert Path(rule.path).stem == rule.id


GOOD = """id = "T-1"
title = "t"
severity = "low"
kind = "data_quality"
check = "condition"
message = "m {serial}"
references = [{ title = "src" }]
confidence = "P"

[match]
field = "serial"
exists = false

[effective]
undated = "a test rule"
"""


def write(tmp_path, text, name="T-1.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    "text,line,fragment",
    [
        (GOOD.replace('title = "t"', 'title = "t"\ncolour = "red"'), 3, "unknown key 'colour'"),
        (GOOD.replace("exists = false", "exists = false\nnear = 3"), 13, "unknown operator 'near'"),
        (GOOD.replace('undated = "a test rule"', "from = 2025-13-01"), 15, "invalid TOML"),
        (GOOD.replace('undated = "a test rule"', 'from = "18 June 2025"'), 15, "malformed date"),
        (GOOD.replace('severity = "low"', 'severity = "urgent"'), 3, "unknown severity"),
        (GOOD.replace('kind = "data_quality"', 'kind = "weather"'), 4, "unknown kind"),
        (GOOD.replace('check = "condition"', 'check = "astrology"'), 5, "unknown check"),
        (GOOD.replace('message = "m {serial}"', 'message = "m {colour}"'), 6, "unknown placeholder {colour}"),
        (GOOD.replace('field = "serial"', 'field = "colour"'), 11, "unknown field 'colour'"),
        (GOOD.replace('references = [{ title = "src" }]', "references = []"), 7, "references"),
        (GOOD.replace('severity = "low"', 'severity = "high"').replace('confidence = "P"', 'confidence = "U"'), 3,
         "uncertain (U)"),
        (GOOD + '\n[[tests]]\nexpect = "maybe"\nrow = { serial = "x" }\n', 18, "expect must be one of"),
        (GOOD.replace('undated = "a test rule"', 'until = 2026-01-01'), 15, "needs from = YYYY-MM-DD, or undated"),
        (GOOD.replace('undated = "a test rule"', 'undated = "x"\nfrom = 2025-01-01'), 15, "either from or undated"),
    ],
    ids=["unknown key", "bad operator", "invalid date literal", "malformed date string", "bad severity",
         "bad kind", "bad check", "bad placeholder", "bad field", "no references", "U above info", "bad expect",
         "window without a start", "both from and undated"],
)
def test_loader_errors_name_file_and_line(tmp_path, text, line, fragment):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as err:
        load_rule(path)
    assert fragment in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}:"), str(err.value)


@pytest.mark.parametrize("missing,fragment", [
    ('confidence = "P"\n', "missing required key 'confidence' (P primary, R reported, U uncertain"),
    ('[effective]\nundated = "a test rule"\n', "missing [effective] table: give from = YYYY-MM-DD"),
])
def test_a_rule_without_confidence_or_effective_window_is_refused(tmp_path, missing, fragment):
    path = write(tmp_path, GOOD.replace(missing, ""))
    with pytest.raises(RuleError, match=re.escape(fragment)):
        load_rule(path)


def test_every_shipped_rule_states_confidence_and_window():
    for rule in RULES:
        assert rule.confidence in ("P", "R", "U"), rule.id
        if rule.confidence == "U":
            assert rule.severity.label == "info", rule.id
    dated = {r.id: r.effective_from for r in RULES if r.effective_from}
    # The rules whose law has a start date carry it.
    assert dated["ORIG-001"].isoformat() == "2021-03-22" and dated["ENT-002"].isoformat() == "2025-09-29"
    assert dated["FW-002"].isoformat() == "2018-05-31" and dated["FW-001"].isoformat() == "2017-04-26"


def test_id_must_equal_file_name(tmp_path):
    path = write(tmp_path, GOOD, name="T-2.toml")
    with pytest.raises(RuleError, match="must equal the file name"):
        load_rule(path)


def test_invalid_rule_makes_the_cli_exit_2(tmp_path, sample):
    write(tmp_path, GOOD.replace("exists = false", "exists = false\nnear = 3"))
    for args in (["rules", "lint", "--rules", str(tmp_path)],
                 ["audit", str(sample), "--rules", str(tmp_path), "--out", str(tmp_path / "o")]):
        proc = run_cli(*args)
        assert proc.returncode == 2, proc.stderr
        assert f"{tmp_path / 'T-1.toml'}:13: [match] unknown operator 'near'" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_rules_test_command_reports_a_failing_self_test(tmp_path):
    write(tmp_path, GOOD + '\n[[tests]]\nname = "wrong"\nexpect = "pass"\nrow = { model = "S19" }\n')
    proc = run_cli("rules", "test", "--rules", str(tmp_path))
    assert proc.returncode == 1
    assert "FAIL T-1: wrong: expected pass, got fail" in proc.stdout
    assert "0 passed, 1 failed" in proc.stdout
