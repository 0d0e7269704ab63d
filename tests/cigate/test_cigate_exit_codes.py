"""The exit-code contract (DESIGN.md) × the gate flags, with the real CLI in a subprocess.

| situation                     | code | --exit-zero | --fail-on never | --fail-on critical |
|-------------------------------|------|-------------|-----------------|--------------------|
| clean list                    | 0    | 0           | 0               | 0                  |
| one medium finding (gate med.)| 1    | 0           | 0               | 0                  |
| usage / unreadable input      | 2    | 2           | 2               | 2                  |
| incomplete (--strict + reject)| 3    | 3           | 3               | 3                  |
| internal error (crash)        | 4    | 4           | 4               | 4                  |

--exit-zero masks only 1: a tool error must never look like a clean (or a findings) run.
"""

from __future__ import annotations

import json

import pytest
from conftest import read_report

from .helpers import AS_OF, BAD_LINE, RULE_ARGS, procurement_copy, run_cli

# Injected into the interpreter before the CLI runs: the audit raises an unexpected
# exception, which is what exit 4 exists for.
CRASH = "import auditor.audit as _a\ndef _boom(*a, **k): raise RuntimeError('injected crash')\n_a.run_audit = _boom"


def situation(kind: str, tmp_path):
    """(argv, prelude) for one situation of the table above."""
    base = ["--as-of", AS_OF, *RULE_ARGS, "--format", "json,sarif,junit,md", "--out", str(tmp_path / "out"),
            "--overwrite"]
    if kind == "clean":
        return ["audit", str(procurement_copy(tmp_path / "po.csv", fixed=True)), *base, "--fail-on", "medium"], ""
    if kind == "findings":
        return ["audit", str(procurement_copy(tmp_path / "po.csv")), *base, "--fail-on", "medium"], ""
    if kind == "usage":
        return ["audit", str(tmp_path / "missing.csv"), *base], ""
    if kind == "incomplete":
        csv = procurement_copy(tmp_path / "po.csv")
        csv.write_text(csv.read_text(encoding="utf-8") + "PO-2026-0143,3,X,Bitmain,Antminer S21,1,10,MY,Narnia,"
                       "2027-02-03,8543.70.9960\n", encoding="utf-8")
        return ["audit", str(csv), *base, "--fail-on", "medium", "--strict"], ""
    if kind == "internal":
        return ["audit", str(procurement_copy(tmp_path / "po.csv")), *base, "--fail-on", "medium"], CRASH
    raise AssertionError(kind)


FLAGS = {
    "none": [],
    "exit-zero": ["--exit-zero"],
    "never": ["--fail-on", "never"],  # the last --fail-on wins in click
    "critical": ["--fail-on", "critical"],
}
EXPECTED = {
    "clean": {"none": 0, "exit-zero": 0, "never": 0, "critical": 0},
    "findings": {"none": 1, "exit-zero": 0, "never": 0, "critical": 0},
    "usage": {"none": 2, "exit-zero": 2, "never": 2, "critical": 2},
    "incomplete": {"none": 3, "exit-zero": 3, "never": 3, "critical": 3},
    "internal": {"none": 4, "exit-zero": 4, "never": 4, "critical": 4},
}


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("flag", list(FLAGS))
def test_exit_code_matrix(kind, flag, tmp_path):
    argv, prelude = situation(kind, tmp_path)
    proc = run_cli(*argv, *FLAGS[flag], prelude=prelude)
    assert proc.returncode == EXPECTED[kind][flag], proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    if kind == "internal":
        assert "auditor: internal error: RuntimeError: injected crash" in proc.stderr
    if kind == "usage":
        assert "missing.csv: no such file" in proc.stderr
        assert not (tmp_path / "out").exists()  # nothing evaluated, nothing written
    if kind == "incomplete":
        # The report is written and says INCOMPLETE.
        doc = read_report(tmp_path / "out")
        assert doc["status"] == "incomplete"
        sarif = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
        assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_fail_on_new_only_without_baseline_is_a_usage_error(tmp_path):
    argv, _ = situation("findings", tmp_path)
    for extra in ([], ["--exit-zero"]):
        proc = run_cli(*argv, *["--fail-on-new-only", *extra])
        assert proc.returncode == 2, proc.stderr
        assert "--fail-on-new-only needs --baseline" in proc.stderr
        assert not (tmp_path / "out").exists()


def test_bad_flag_is_a_usage_error(tmp_path):
    argv, _ = situation("findings", tmp_path)
    proc = run_cli(*argv, *["--fail-on", "severe"])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("flags,expected", [
    ([], 1),  # the old finding still fails without --fail-on-new-only
    (["--fail-on-new-only"], 0),  # unchanged against the baseline
    (["--fail-on-new-only", "--exit-zero"], 0),
])
def test_new_only_with_unchanged_findings(tmp_path, flags, expected):
    argv, _ = situation("findings", tmp_path)
    first = run_cli(*argv)
    assert first.returncode == 1, first.stderr
    baseline = tmp_path / "baseline.json"
    (tmp_path / "out" / "report.json").rename(baseline)
    proc = run_cli(*argv, *["--baseline", str(baseline), *flags])
    assert proc.returncode == expected, proc.stdout + proc.stderr
    sarif = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert [r["baselineState"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "ORIG-001"] == ["unchanged"]


@pytest.mark.parametrize("flags,expected", [(["--fail-on-new-only"], 1), (["--fail-on-new-only", "--exit-zero"], 0)])
def test_new_only_with_a_new_finding(tmp_path, flags, expected):
    argv, _ = situation("findings", tmp_path)
    assert run_cli(*argv).returncode == 1
    baseline = tmp_path / "baseline.json"
    (tmp_path / "out" / "report.json").rename(baseline)
    csv = tmp_path / "po.csv"
    # A second China claim on a new PO line: new against the baseline.
    csv.write_text(csv.read_text(encoding="utf-8") + BAD_LINE.replace("PO-2026-0142,4", "PO-2026-0144,1") + "\n",
                   encoding="utf-8")
    proc = run_cli(*argv, *["--baseline", str(baseline), *flags])
    assert proc.returncode == expected, proc.stdout + proc.stderr
    sarif = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
    states = sorted(r["baselineState"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "ORIG-001")
    assert states == ["new", "unchanged"]
