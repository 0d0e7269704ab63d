"""The exit-code contract of `auditor audit` (DESIGN.md), as a user sees it."""

from __future__ import annotations

import pytest
from conftest import read_report, run_cli

from auditor.cli import main

RULES = ["--rules", "rules/data_quality", "--rules", "rules/origin"]
CLEAN = "serial,model,assembly_country\nSN1,Antminer S21,MY\nSN2,Antminer S21,US\n"
HIGH = "serial,model,assembly_country\nSN1,Antminer S21,MY\nSN1,Antminer S21,MY\n"  # duplicate serial: high
MEDIUM = "serial,model,assembly_country\nSN1,Antminer S21,CN\n"  # foreign-adversary country: medium


def audit(tmp_path, content, *extra):
    inv = tmp_path / "inv.csv"
    inv.write_text(content)
    return run_cli("audit", str(inv), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26", *RULES, *extra)


@pytest.mark.parametrize(
    "content,extra,code",
    [
        (CLEAN, [], 0),
        (HIGH, [], 1),
        (MEDIUM, [], 0),  # default --fail-on high
        (MEDIUM, ["--fail-on", "medium"], 1),
        (MEDIUM, ["--fail-on", "info"], 1),
        (HIGH, ["--fail-on", "critical"], 0),
        (HIGH, ["--fail-on", "never"], 0),
    ],
)
def test_findings_threshold(tmp_path, content, extra, code):
    proc = audit(tmp_path, content, *extra)
    assert proc.returncode == code, proc.stderr
    assert f"exit {code}" in proc.stdout
    assert (tmp_path / "out" / "report.json").exists()


@pytest.mark.parametrize(
    "extra,fragment",
    [
        (["--fail-on", "severe"], "Invalid value for '--fail-on'"),
        (["--as-of", "26/11/2026"], "is not a date in YYYY-MM-DD form"),
        (["--format", "json,docx"], "unknown format 'docx'"),
        (["--bogus"], "No such option '--bogus'"),
        (["--rules", "no/such/dir"], "no such rules directory"),
    ],
)
def test_usage_errors_exit_2_and_evaluate_nothing(tmp_path, extra, fragment):
    proc = audit(tmp_path, HIGH, *extra)
    assert proc.returncode == 2
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "report.json").exists()


def test_no_inventory_is_a_usage_error():
    proc = run_cli("audit")
    assert proc.returncode == 2 and "Missing argument 'INVENTORY...'" in proc.stderr


class Boom:
    name = "boom"
    table = "boom"
    kinds = frozenset({"data_quality"})
    message_vars = frozenset()

    def parse(self, spec, where):
        return None

    def fields(self, config):
        return ()

    def evaluate(self, rule, table, ctx):
        raise ZeroDivisionError("division by zero in a rule")


BOOM_RULE = """id = "BOOM-1"
title = "explodes"
severity = "low"
kind = "data_quality"
check = "boom"
message = "never"
references = [{ title = "test" }]
confidence = "P"
[effective]
undated = "test rule"
[boom]
"""


def run_main(args) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code


def test_a_rule_failing_at_run_time_makes_the_audit_incomplete(tmp_path, monkeypatch, capsys):
    import sys

    from auditor.engine import checks

    monkeypatch.setitem(checks._REGISTRY, "boom", "test_exit_codes:BOOM")
    monkeypatch.setitem(sys.modules, "test_exit_codes", sys.modules[__name__])
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "BOOM-1.toml").write_text(BOOM_RULE)
    inv = tmp_path / "inv.csv"
    inv.write_text(CLEAN)
    code = run_main(["audit", str(inv), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26", "--rules", str(rules)])
    assert code == 3
    doc = read_report(tmp_path / "out")
    assert doc["status"] == "incomplete"
    assert doc["incomplete_reasons"] == ["rule BOOM-1 failed at run time: ZeroDivisionError: division by zero in a rule"]
    err = capsys.readouterr().err
    assert "INCOMPLETE" in err and "Traceback" not in err


BOOM = Boom()


def test_an_internal_error_exits_4_without_a_traceback(tmp_path, monkeypatch, capsys):
    from auditor.formats import json_format

    def broken(self, result, out_dir):
        raise KeyError("unexpected")

    monkeypatch.setattr(json_format.JsonFormat, "write", broken)
    inv = tmp_path / "inv.csv"
    inv.write_text(CLEAN)
    code = run_main(["audit", str(inv), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26",
                     "--rules", "rules/data_quality"])
    assert code == 4
    err = capsys.readouterr().err
    assert "auditor: internal error: KeyError: 'unexpected'" in err
    assert "Traceback" not in err


def test_an_empty_rules_directory_is_a_usage_error_not_a_clean_audit(tmp_path):
    empty = tmp_path / "rules"
    empty.mkdir()
    inv = tmp_path / "inv.csv"
    inv.write_text(CLEAN)
    proc = run_cli("audit", str(inv), "--out", str(tmp_path / "out"), "--rules", str(empty))
    assert proc.returncode == 2
    assert f"{empty}: no rule files (*.toml) found" in proc.stderr
    assert run_cli("rules", "lint", "--rules", str(empty)).returncode == 2


def test_screening_an_empty_name_is_a_usage_error():
    proc = run_cli("screen", "Sophgo", " ", "--bundled-lists-only")
    assert proc.returncode == 2
    assert "name #2 is empty" in proc.stderr


def test_a_database_in_a_missing_directory_is_an_error_not_a_new_empty_history(tmp_path):
    url = f"sqlite:///{tmp_path}/no-such-dir/audits.db"
    for args in (["history", "--db", url], ["audit", "sample_inventory.csv", "--db", url, "--out", str(tmp_path / "o")]):
        proc = run_cli(*args)
        assert proc.returncode == 2
        assert f"directory {tmp_path}/no-such-dir does not exist" in proc.stderr
    assert not (tmp_path / "no-such-dir").exists()


def test_a_file_that_is_not_a_database_gets_a_one_line_error(tmp_path):
    bad = tmp_path / "audits.db"
    bad.write_text("not a database\n" * 100)
    proc = run_cli("history", "--db", f"sqlite:///{bad}")
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("file is not a database")
    assert "sqlalche.me" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
