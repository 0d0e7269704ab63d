"""Two audits of slightly different inventories through the real reader and rule engine,
recorded in the database; `auditor diff` shows exactly the changes, a waiver marks (never
hides) its finding, and a report.json works as a baseline without a database."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

from click.testing import CliRunner
from conftest import read_report

from auditor import __version__
from auditor.baseline import apply_baseline
from auditor.cli import cli
from auditor.engine.evaluate import evaluate
from auditor.engine.loader import load_rules
from auditor.inventory import read_inventories
from auditor.model import AuditResult
from auditor.store.runs import record_run
from auditor.waivers import apply_waivers, load_waivers

ROOT = Path(__file__).resolve().parents[2]
T = datetime(2025, 6, 18, 12, tzinfo=timezone.utc)

FLEET_A = """serial,model,mac,supplier
S1,Antminer S19,aa:bb:cc:dd:ee:01,Acme
S2,Antminer S19,12:34,Acme
S3,Antminer S19,aa:bb:cc:dd:ee:03,Acme
S3,Antminer S19,aa:bb:cc:dd:ee:04,Acme
S5,Antminer S19,zz,Acme
"""
# Re-ordered; S2's MAC fixed; the duplicate S3 gone; S4 added with a bad MAC; S5 unchanged.
FLEET_B = """serial,model,mac,supplier
S5,Antminer S19,zz,Acme
S4,Antminer S19,bad,Acme
S2,Antminer S19,aa:bb:cc:dd:ee:02,Acme
S1,Antminer S19,aa:bb:cc:dd:ee:01,Acme
S3,Antminer S19,aa:bb:cc:dd:ee:03,Acme
"""


def audit(path: Path, as_of: date) -> AuditResult:
    """The audit pipeline's steps, with the data-quality rule pack (no reference data needed)."""
    table, sources, rejected, warnings = read_inventories([str(path)])
    rules = load_rules([ROOT / "rules" / "data_quality"])
    ev = evaluate(table, rules, None, as_of)
    assert not ev.errors
    return AuditResult(as_of=as_of, tool_version=__version__, inventory=sources, rules=rules, lists=[],
                       table=table, groups=ev.groups, rejected=rejected, warnings=warnings)


def pairs(items):
    return sorted((f["rule_id"], f["asset"]["key"]) for f in items)


def test_two_audits_then_diff(engine, db_url, tmp_path):
    (tmp_path / "a.csv").write_text(FLEET_A)
    (tmp_path / "b.csv").write_text(FLEET_B)
    a = record_run(engine, audit(tmp_path / "a.csv", date(2025, 6, 1)), T, T)
    b = record_run(engine, audit(tmp_path / "b.csv", date(2025, 6, 18)), T, T)

    res = CliRunner().invoke(cli, ["diff", str(a), str(b), "--db", db_url, "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert pairs(d["new"]) == [("DQ-003", "S4")]
    assert pairs(d["resolved"]) == [("DQ-002", "S3"), ("DQ-002", "S3"), ("DQ-003", "S2")]
    assert pairs(d["unchanged"]) == [("DQ-003", "S5")]  # moved from line 6 to line 2: still the same finding
    assert d["assets"] == {"added": [{"asset_key": "S4", "count": 1}], "removed": [{"asset_key": "S3", "count": 1}]}

    res = CliRunner().invoke(cli, ["history", "--db", db_url, "--json"])
    runs = json.loads(res.output)["runs"]
    assert [(r["id"], r["findings"], r["assets"]) for r in runs] == [(b, 2, 5), (a, 4, 5)]


def test_waiver_marks_finding_in_report_and_db(engine, db_url, tmp_path):
    from auditor import formats

    (tmp_path / "b.csv").write_text(FLEET_B)
    (tmp_path / "w.toml").write_text(
        '[[waiver]]\nid = "W-7"\nrule = "DQ-003"\nserial = "S5"\njustification = "test rig, MAC unreadable"\n'
        'approver = "J. Roe"\ncreated = 2025-06-01\nexpires = 2025-07-01\n'
    )
    result = audit(tmp_path / "b.csv", date(2025, 6, 18))
    result = apply_waivers(result, load_waivers(tmp_path / "w.toml", result.as_of))
    out = tmp_path / "out"
    out.mkdir()
    formats.get("json").write(result, out)
    report = read_report(out)
    by = {(f["rule_id"], f["asset"]["key"]): f for f in report["findings"]}
    assert set(by) == {("DQ-003", "S4"), ("DQ-003", "S5")}  # the waived finding is still there
    assert by[("DQ-003", "S5")]["status"] == "waived"
    assert by[("DQ-003", "S5")]["waiver"]["id"] == "W-7"
    assert by[("DQ-003", "S5")]["waiver"]["expires"] == "2025-07-01"
    assert by[("DQ-003", "S4")]["status"] == "open"

    run = record_run(engine, result, T, T)
    res = CliRunner().invoke(cli, ["waivers", "lint", str(tmp_path / "w.toml"), "--as-of", "2025-06-18",
                                   "--db", db_url])
    assert res.exit_code == 0, res.output
    assert f"against run {run}" in res.output

    # On its expiry date the waiver no longer applies: the finding is open again, with a note.
    later = audit(tmp_path / "b.csv", date(2025, 7, 1))
    later = apply_waivers(later, load_waivers(tmp_path / "w.toml", later.as_of))
    s5 = [f for f in later.iter_findings() if f.asset_key == "S5"][0]
    assert s5.status == "open"
    assert later.expired_waivers[s5.fingerprint].note == "waiver W-7 expired on 2025-07-01"


def test_baseline_report_without_database(tmp_path):
    from auditor import formats

    (tmp_path / "a.csv").write_text(FLEET_A)
    (tmp_path / "b.csv").write_text(FLEET_B)
    out = tmp_path / "out"
    out.mkdir()
    formats.get("json").write(audit(tmp_path / "a.csv", date(2025, 6, 1)), out)
    current = audit(tmp_path / "b.csv", date(2025, 6, 18))
    current = apply_baseline(current, out / "report.json")
    assert sorted((f.rule_id, f.asset_key, f.baseline_state) for f in current.iter_findings()) == [
        ("DQ-003", "S4", "new"), ("DQ-003", "S5", "unchanged")]
    assert pairs(current.absent) == [("DQ-002", "S3"), ("DQ-002", "S3"), ("DQ-003", "S2")]


def test_lint_against_a_fresh_audit_of_an_inventory(tmp_path):
    (tmp_path / "b.csv").write_text(FLEET_B)
    waiver = ('[[waiver]]\nid = "W-7"\nrule = "DQ-003"\nserial = "{serial}"\njustification = "test rig"\n'
              'approver = "J. Roe"\ncreated = 2025-06-01\nexpires = 2025-07-01\n')
    (tmp_path / "ok.toml").write_text(waiver.format(serial="S5"))
    (tmp_path / "stale.toml").write_text(waiver.format(serial="S2"))  # S2's MAC was fixed
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    common = ["--as-of", "2025-06-18", "--inventory", str(tmp_path / "b.csv"),
              "--rules", str(ROOT / "rules" / "data_quality"), "--db", db]
    res = CliRunner().invoke(cli, ["waivers", "lint", str(tmp_path / "ok.toml"), *common])
    assert res.exit_code == 0, res.output
    assert "1 waiver(s) OK as of 2025-06-18 against an audit of" in res.output
    res = CliRunner().invoke(cli, ["waivers", "lint", str(tmp_path / "stale.toml"), *common])
    assert res.exit_code == 2
    assert "stale.toml:1: waiver 'W-7' matches no finding (rule DQ-003, serial S2)" in res.output
