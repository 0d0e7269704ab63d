"""--baseline: compare an audit with a previous report.json, no database."""

from __future__ import annotations

import json

import pytest

from auditor.baseline import BaselineError, apply_baseline, load_baseline
from tests.store.test_diff import audit_a, audit_b, keyed


def report(result) -> dict:
    """A report.json as the JSON format writes it (the parts a baseline reads)."""
    return {"schema_version": "1", "findings": [f.as_json() for f in result.iter_findings()]}


def test_baseline_marks_new_unchanged_absent(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report(audit_a())))
    current = apply_baseline(audit_b(), path)
    states = sorted((f.rule_id, f.asset_key, f.baseline_state) for f in current.iter_findings())
    assert states == [
        ("entity.listed", "S1", "unchanged"),
        ("entity.listed", "S2", "new"),  # evidence changed: E-1 -> E-2
        ("firmware.advisory", "S4", "new"),
        # S5 appears three times now, twice in the baseline: the fingerprint counts as new.
        ("firmware.advisory", "S5", "new"),
        ("firmware.advisory", "S5", "new"),
        ("firmware.advisory", "S5", "new"),
    ]
    assert keyed(current.absent) == [
        ("entity.listed", "S2", '{"entry": "E-1"}'),
        ("firmware.advisory", "S3", '{"version": "1.0"}'),
    ]
    # Absent findings are the baseline's own records, as the old report showed them.
    assert {f["asset"]["line"] for f in current.absent} == {3, 4}

    # Read first (refused before evaluation when malformed), applied later: same outcome.
    again = apply_baseline(audit_b(), load_baseline(path), label=str(path))
    assert again.baseline == current.baseline and again.absent == current.absent


def test_same_inventory_resorted_is_all_unchanged(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report(audit_b())))
    current = apply_baseline(audit_b(), path)
    assert {f.baseline_state for f in current.iter_findings()} == {"unchanged"}
    assert current.absent == ()


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"schema_version": "1",\n "findings": [}', r"report.json:2:15: baseline report is not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"findings": []}', "no 'schema_version': not an auditor report.json"),
        ('{"schema_version": "7", "findings": []}', "schema_version '7' is not supported"),
        ('{"schema_version": "1", "findings": {}}', "'findings' must be a list"),
        ('{"schema_version": "1", "findings": [{"rule_id": "x"}]}', r"findings\[0\] has no 'fingerprint' string"),
        ('{"schema_version": "2", "findings": []}', "schema version 2 needs a 'groups' list and a 'rules' object"),
        ('{"schema_version": "2", "rules": {}, "groups": [], "findings": [{"fingerprint": "f", "group": 0}]}',
         r"findings\[0\] names group 0, which the report does not have"),
        ('{"schema_version": "2", "rules": {}, "groups": [{"rule_id": "X-1"}], "findings": [{"fingerprint": "f", '
         '"group": 0}]}', r"groups\[0\] names rule 'X-1', which the report does not have"),
    ],
)
def test_malformed_baseline(tmp_path, content, message):
    path = tmp_path / "report.json"
    path.write_text(content)
    with pytest.raises(BaselineError, match=message):
        apply_baseline(audit_b(), path)


def test_missing_baseline_file(tmp_path):
    with pytest.raises(BaselineError, match=r"nope.json: cannot read baseline report"):
        apply_baseline(audit_b(), tmp_path / "nope.json")
