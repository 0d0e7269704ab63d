"""The run object (auditor.run): the Python API, one pipeline for `audit` and `waivers lint`."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import read_report

from auditor.refdata.loader import RefDataOptions
from auditor.refdata.rule_data import EXAMPLE_APPROVED_FIRMWARE
from auditor.run import AuditRequest, RunError, run
from tests.conftest import REPO, run_cli

AS_OF = "2026-11-26"


def test_readme_python_example_runs_as_written(tmp_path, monkeypatch, capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    (tmp_path / "sample_inventory.csv").write_bytes((REPO / "sample_inventory.csv").read_bytes())
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    report = read_report(tmp_path / "report")
    assert (tmp_path / "report" / "report.sarif").is_file()
    assert printed[0].startswith(f"{len(report['findings'])} findings; gate fails: ")
    assert [ln.split()[0] for ln in printed[1:]] == [f["fingerprint"] for f in report["findings"]]


def test_outcome_matches_what_the_cli_reports(tmp_path):
    out = tmp_path / "cli"
    proc = run_cli("audit", str(REPO / "sample_inventory.csv"), "--as-of", AS_OF, "--bundled-lists-only",
                   "--out", str(out), "--format", "json")
    outcome = run(AuditRequest(inventories=(str(REPO / "sample_inventory.csv"),), as_of=date(2026, 11, 26),
                               refdata=RefDataOptions(use_db=False), out_dir=tmp_path / "api", formats=("json",)))
    assert proc.returncode == (1 if outcome.gate_fails else 0)
    assert (tmp_path / "api" / "report.json").read_bytes() == (out / "report.json").read_bytes()
    assert outcome.written == (tmp_path / "api" / "report.json",)


def test_bad_waiver_file_stops_the_run_before_anything_is_written(tmp_path):
    bad = tmp_path / "w.toml"
    bad.write_text('[[waiver]]\nid = "W-1"\n')
    with pytest.raises(RunError) as err:
        run(AuditRequest(inventories=(str(REPO / "sample_inventory.csv"),), as_of=date(2026, 11, 26),
                         refdata=RefDataOptions(use_db=False), waivers=bad, out_dir=tmp_path / "out"))
    assert any("missing required key 'rule'" in line for line in err.value.lines)
    assert not (tmp_path / "out").exists()


def test_decorations_return_a_new_result(tmp_path):
    from auditor.waivers import apply_waivers, load_waivers

    base = run(AuditRequest(inventories=(str(REPO / "sample_inventory.csv"),), as_of=date(2026, 11, 26),
                            refdata=RefDataOptions(use_db=False))).result
    f = next(iter(base.iter_findings()))
    (tmp_path / "w.toml").write_text(
        f'[[waiver]]\nid = "W-1"\nrule = "{f.rule_id}"\nserial = "{f.asset_key}"\njustification = "j"\n'
        'approver = "A"\ncreated = 2026-11-01\nexpires = 2027-01-01\n')
    waived = apply_waivers(base, load_waivers(tmp_path / "w.toml"))
    assert base.waivers == {} and base.summary()["waived"] == 0
    assert waived.summary()["waived"] >= 1 and f.fingerprint in waived.waivers
    with pytest.raises(AttributeError):
        waived.waivers = {}  # type: ignore[misc]


def test_waivers_lint_judges_the_findings_audit_produces(tmp_path, isolated_db):
    """A waiver for a finding that exists only with --approved-firmware: lint must see it with the flag."""
    outcome = run(AuditRequest(inventories=(str(REPO / "sample_inventory.csv"),), as_of=date(2026, 11, 26),
                               refdata=RefDataOptions(use_db=False, approved_firmware=str(EXAMPLE_APPROVED_FIRMWARE))))
    fw = [f for f in outcome.result.iter_findings() if f.rule_id == "FW-005"]
    assert fw, "the example approved-firmware list leaves some sample rigs unapproved"
    (tmp_path / "w.toml").write_text(
        f'[[waiver]]\nid = "W-FW"\nrule = "FW-005"\nserial = "{fw[0].asset_key}"\njustification = "lab rig"\n'
        'approver = "A"\ncreated = 2026-11-01\nexpires = 2027-01-01\n')
    args = ["waivers", "lint", str(tmp_path / "w.toml"), "--as-of", AS_OF, "--bundled-lists-only",
            "--inventory", str(REPO / "sample_inventory.csv")]
    with_flag = run_cli(*args, "--approved-firmware", str(EXAMPLE_APPROVED_FIRMWARE))
    assert with_flag.returncode == 0, with_flag.stderr
    without = run_cli(*args)
    assert without.returncode == 2 and "W-FW" in without.stderr and "matches no finding" in without.stderr
