"""Rule files from others cannot hang an audit: regular expressions run on RE2 (linear time), patterns
that need backtracking are refused by lint with file and line, and every rule has a time budget
after which the audit is INCOMPLETE with the rule named (docs/security.md)."""

from __future__ import annotations

from conftest import read_report, run_cli

RULE = '''id = "X-001"
title = "Serial made of a's"
severity = "high"
kind = "data_quality"
check = "condition"
confidence = "P"
message = "serial matches"
remediation = "none"
references = [{{ title = "test", url = "https://example.org" }}]

[effective]
undated = "a test rule"

[match]
field = "serial"
regex = "{pattern}"

[[tests]]
name = "a's fail"
expect = "fail"
row = {{ serial = "aaaa", model = "S21" }}

[[tests]]
name = "others pass"
expect = "pass"
row = {{ serial = "aab", model = "S21" }}
'''


def rule_dir(tmp_path, pattern):
    d = tmp_path / "rules"
    d.mkdir()
    (d / "X-001.toml").write_text(RULE.format(pattern=pattern))
    return d


def test_a_catastrophic_backtracking_pattern_cannot_hang_the_audit(tmp_path):
    rules = rule_dir(tmp_path, "^(a+)+$")
    assert run_cli("rules", "lint", "--rules", str(rules)).returncode == 0
    assert run_cli("rules", "test", "--rules", str(rules)).returncode == 0
    inv = tmp_path / "inv.csv"
    # 40 a's and a b: Python's re takes hours on this; 2,000 of them
    inv.write_text("serial,model\n" + "".join(f"{'a' * (40 + n % 50)}b{n},S21\n" for n in range(2000)) + "aaaa,S21\n")
    proc = run_cli("audit", str(inv), "--rules", str(rules), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26")
    assert proc.returncode == 1, proc.stderr
    findings = read_report(tmp_path / "out")["findings"]
    assert [f["asset"]["serial"] for f in findings] == ["aaaa"]


def test_patterns_that_need_backtracking_are_refused_by_lint_with_their_line(tmp_path):
    for pattern, reason in ((r"^(a)\\1$", "invalid escape sequence"), ("^(?=a)a$", "invalid perl operator"),
                            ("((a{100}){100}){100}", "invalid repetition size")):
        rules = tmp_path / pattern.replace("\\", "").replace("/", "")
        rules.mkdir()
        (rules / "X-001.toml").write_text(RULE.format(pattern=pattern))
        proc = run_cli("rules", "lint", "--rules", str(rules))
        assert proc.returncode == 2, proc.stderr
        assert f"{rules / 'X-001.toml'}:16:" in proc.stderr
        assert reason in proc.stderr and "RE2 syntax" in proc.stderr
        assert "re2.cc" not in proc.stderr  # RE2's own logging stays off


def test_a_rule_over_its_time_budget_makes_the_audit_incomplete_and_is_named(tmp_path):
    inv = tmp_path / "inv.csv"
    inv.write_text("serial,model\nS1,S21\nS1,S21\n")
    # a budget of one microsecond: no rule can finish within it
    proc = run_cli("audit", str(inv), "--rules", "rules/data_quality/DQ-002.toml", "--out", str(tmp_path / "out"),
                   "--as-of", "2026-11-26", "--rule-timeout", "0.000001")
    assert proc.returncode == 3, proc.stderr
    assert ("auditor: INCOMPLETE: rule DQ-002 did not finish within its time budget of 1e-06 s "
            "(--rule-timeout): not evaluated") in proc.stderr
    report = read_report(tmp_path / "out")
    assert report["summary"]["status"] == "incomplete"
    # with the default budget the same audit completes and finds the duplicate
    proc = run_cli("audit", str(inv), "--rules", "rules/data_quality/DQ-002.toml", "--out", str(tmp_path / "out2"),
                   "--as-of", "2026-11-26")
    assert proc.returncode == 1, proc.stderr
