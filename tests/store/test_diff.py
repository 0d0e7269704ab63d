"""`auditor diff` and `diff_against`: two audits of slightly different inventories."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from click.testing import CliRunner

from auditor.cli import cli
from auditor.diff import diff_against, diff_runs
from auditor.model import Severity
from auditor.store.runs import record_run
from tests.store.factory import result, rule

T = datetime(2025, 6, 18, tzinfo=timezone.utc)
LISTED = rule("entity.listed", Severity.CRITICAL)
FW = rule("firmware.advisory", Severity.HIGH)


def audit_a():
    rows = [
        {"serial": "S1", "model": "S19"},
        {"serial": "S2", "model": "S19"},
        {"serial": "S3", "model": "L7"},
        {"serial": "S5", "model": "L7"},
        {"serial": "S5", "model": "L7"},
    ]
    return result(rows, [
        (LISTED, [0], "listed", {"entry": "E-1"}),
        (LISTED, [1], "listed", {"entry": "E-1"}),
        (FW, [2], "old firmware", {"version": "1.0"}),
        (FW, [3, 4], "old firmware", {"version": "1.0"}),
    ], as_of=date(2025, 6, 1))


def audit_b():
    # Re-sorted (every line number changes), S3 gone, S4 new, S2's evidence changed,
    # and S5 now appears three times.
    rows = [
        {"serial": "S5", "model": "L7"},
        {"serial": "S4", "model": "L7"},
        {"serial": "S2", "model": "S19"},
        {"serial": "S1", "model": "S19"},
        {"serial": "S5", "model": "L7"},
        {"serial": "S5", "model": "L7"},
    ]
    return result(rows, [
        (LISTED, [3], "listed", {"entry": "E-1"}),
        (LISTED, [2], "listed", {"entry": "E-2"}),
        (FW, [1], "old firmware", {"version": "1.0"}),
        (FW, [0, 4, 5], "old firmware", {"version": "1.0"}),
    ], as_of=date(2025, 6, 18))


def keyed(items):
    return sorted((f["rule_id"], f["asset"]["key"], json.dumps(f["evidence"], sort_keys=True)) for f in items)


def check_changes(d, unchanged_detail=True):
    assert keyed(d.new) == [
        ("entity.listed", "S2", '{"entry": "E-2"}'),
        ("firmware.advisory", "S4", '{"version": "1.0"}'),
        ("firmware.advisory", "S5", '{"version": "1.0"}'),  # the third S5
    ]
    assert keyed(d.resolved) == [
        ("entity.listed", "S2", '{"entry": "E-1"}'),
        ("firmware.advisory", "S3", '{"version": "1.0"}'),
    ]
    if unchanged_detail:
        assert keyed(d.unchanged) == [
            ("entity.listed", "S1", '{"entry": "E-1"}'),
            ("firmware.advisory", "S5", '{"version": "1.0"}'),
            ("firmware.advisory", "S5", '{"version": "1.0"}'),
        ]
    else:
        assert len(d.unchanged) == 3
    assert d.assets_added == [{"asset_key": "S4", "count": 1}, {"asset_key": "S5", "count": 1}]
    assert d.assets_removed == [{"asset_key": "S3", "count": 1}]


def test_diff_two_runs(engine):
    a = record_run(engine, audit_a(), T, T)
    b = record_run(engine, audit_b(), T, T)
    d = diff_runs(engine, a, b)
    check_changes(d)
    check_changes(diff_runs(engine, a, b, unchanged_detail=False), unchanged_detail=False)
    assert d.before["run"] == a and d.after["run"] == b
    # Identical runs: nothing new, nothing resolved, even though nothing is in the same order.
    same = diff_runs(engine, b, b)
    assert same.new == [] and same.resolved == [] and len(same.unchanged) == 6


def test_diff_cli_json_and_text(engine, db_url):
    a = record_run(engine, audit_a(), T, T)
    b = record_run(engine, audit_b(), T, T)
    runner = CliRunner()
    res = runner.invoke(cli, ["diff", str(a), str(b), "--db", db_url, "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["counts"] == {"new": 3, "resolved": 2, "unchanged": 3, "assets_added": 2, "assets_removed": 1}
    assert keyed(doc["new"]) == keyed(diff_runs(engine, a, b).new)

    res = runner.invoke(cli, ["diff", "previous", "latest", "--db", db_url])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == f"run {a} (as of 2025-06-01) -> run {b} (as of 2025-06-18)"
    assert lines[1] == "new: 3  resolved: 2  unchanged: 3  assets added: 2  assets removed: 1"
    assert "+ critical entity.listed  S2 (fleet.csv:4)  listed" in lines
    assert "- high     firmware.advisory  S3 (fleet.csv:4)  old firmware" in lines
    assert "+ asset S4" in lines and "- asset S3" in lines

    res = runner.invoke(cli, ["diff", str(a), "999", "--db", db_url])
    assert res.exit_code == 2
    assert "no run with id 999" in res.output


def test_diff_against_previous_marks_new_since_last_audit(engine):
    assert diff_against(engine, audit_a(), "previous") is None  # nothing recorded yet
    a = record_run(engine, audit_a(), T, T)
    current = audit_b()
    d = diff_against(engine, current, "previous")
    check_changes(d, unchanged_detail=False)
    fp = {(f.rule_id, f.asset_key): f.fingerprint for f in current.iter_findings()}
    assert sorted(u["fingerprint"] for u in d.unchanged) == sorted(
        [fp[("entity.listed", "S1")], fp[("firmware.advisory", "S5")], fp[("firmware.advisory", "S5")]])
    current = d.apply_to(current)
    states = {(f.rule_id, f.asset_key, f.line): f.baseline_state for f in current.iter_findings()}
    assert states[("entity.listed", "S1", 5)] == "unchanged"
    assert states[("entity.listed", "S2", 4)] == "new"
    assert states[("firmware.advisory", "S4", 3)] == "new"
    assert keyed(current.absent) == keyed(d.resolved)

    # After recording the current audit, before_run_id still finds the earlier run.
    b = record_run(engine, current, T, T)
    again = diff_against(engine, audit_b(), "previous", before_run_id=b)
    assert again.before["run"] == a
    assert diff_against(engine, audit_b(), b).new == []
