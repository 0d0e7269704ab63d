"""Waiver files: strict loading with file:line errors, applying, expiry, lint and list."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.model import Severity
from auditor.store.runs import load_findings, record_run
from auditor.store.runs import load_waivers as stored_waivers
from auditor.waivers import WaiverError, apply_waivers, expiring_within, load_waivers, parse_days
from tests.store.factory import result, rule

LISTED = rule("entity.listed", Severity.CRITICAL)
FW = rule("firmware.advisory", Severity.HIGH)
T = datetime(2025, 6, 18, tzinfo=timezone.utc)

GOOD = """\
# reviewed by compliance, 2025-06-01
[[waiver]]
id = "W-1"
rule = "entity.listed"
serial = "S1"
justification = "replacement on order, ticket OPS-42"
approver = "Jane Roe, CCO"
created = 2025-06-01
expires = 2025-09-01

[[waiver]]
id = "W-2"
rule = "firmware.advisory"
supplier = "acme*"
model = "S19*"
justification = "vendor patch scheduled"
approver = "Jane Roe, CCO"
created = 2025-05-01
expires = 2025-07-01

[[waiver]]
id = "W-OLD"
rule = "entity.listed"
serial = "S2"
justification = "was on order"
approver = "John Doe"
created = 2025-01-01
expires = 2025-06-18
"""


def fleet(as_of=date(2025, 6, 18)):
    rows = [
        {"serial": "S1", "model": "S19j Pro", "supplier": "Acme Mining"},
        {"serial": "S2", "model": "S19j Pro", "supplier": "Acme Mining"},
        {"serial": "S3", "model": "L7", "supplier": "Acme Mining"},
        {"serial": "S4", "model": "S19 XP", "supplier": "Other Co"},
    ]
    return result(rows, [
        (LISTED, [0, 1], "listed", {"entry": "E-1"}),
        (FW, [0, 2, 3], "old firmware", {"version": "1.0"}),
    ], as_of=as_of)


def write(tmp_path, text, name="waivers.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_load_good_file(tmp_path):
    p = write(tmp_path, GOOD)
    ws = load_waivers(p, date(2025, 6, 18))
    assert [w.id for w in ws] == ["W-1", "W-2", "W-OLD"]
    assert ws[0].serial == "S1" and ws[0].supplier is None
    assert ws[1].supplier == "acme*" and ws[1].model == "S19*"
    assert ws[0].source == f"{p}:2" and ws[1].source == f"{p}:11" and ws[2].source == f"{p}:21"


@pytest.mark.parametrize(
    "edit, line, fragment",
    [
        (('approver = "Jane Roe, CCO"\ncreated = 2025-06-01', "created = 2025-06-01"), 2,
         "waiver 'W-1': missing required key 'approver'"),
        (("created = 2025-06-01", 'created = "2025-06-01"'), 8, "'created' must be a TOML date"),
        (("expires = 2025-09-01", "expires = 2026-01-01"), 9, "214 days after created 2025-06-01; the maximum lifetime is 180 days"),
        (("expires = 2025-09-01", "expires = 2025-05-01"), 9, "expires 2025-05-01 is not after created 2025-06-01"),
        (('serial = "S1"', 'serial = "S1"\nmodel = "S19"'), 5, "give either 'serial' or 'supplier'/'model' patterns, not both"),
        (('serial = "S1"', 'serail = "S1"'), 5, "unknown key 'serail'"),
        (('id = "W-2"', 'id = "W-1"'), 11, "duplicate waiver id 'W-1' (first used at line 2)"),
        (('justification = "vendor patch scheduled"', 'justification = "  "'), 16, "'justification' must be a non-empty string"),
        (('rule = "entity.listed"\nserial = "S1"', 'rule = "entity.listed" serial'), 4, "invalid TOML"),
    ],
)
def test_load_errors_name_file_and_line(tmp_path, edit, line, fragment):
    old, new = edit
    p = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(WaiverError) as err:
        load_waivers(p, date(2025, 6, 18))
    lines = err.value.lines()
    assert any(ln.startswith(f"{p}:{line}: ") and fragment in ln for ln in lines), lines


def test_missing_asset_and_unreadable(tmp_path):
    p = write(tmp_path, GOOD.replace('serial = "S1"\n', "", 1))
    with pytest.raises(WaiverError, match=r":2: waiver 'W-1': missing the asset"):
        load_waivers(p, date(2025, 6, 18))
    with pytest.raises(WaiverError, match="cannot read waiver file"):
        load_waivers(tmp_path / "nope.toml", date(2025, 6, 18))


def test_apply_waivers_marks_waived_and_resurfaces_expired(tmp_path):
    r = fleet()
    r = apply_waivers(r, load_waivers(write(tmp_path, GOOD), r.as_of))
    got = {(f.rule_id, f.asset_key): f for f in r.iter_findings()}
    assert len(got) == 5  # nothing hidden
    assert got[("entity.listed", "S1")].status == "waived"
    assert got[("entity.listed", "S1")].waiver["id"] == "W-1"
    assert got[("entity.listed", "S1")].waiver["approver"] == "Jane Roe, CCO"
    # W-2: supplier "acme*" and model "S19*", case-insensitive: S1 yes; S3 (L7) and S4 (Other Co) no.
    assert got[("firmware.advisory", "S1")].status == "waived"
    assert got[("firmware.advisory", "S1")].waiver["id"] == "W-2"
    assert got[("firmware.advisory", "S3")].status == "open"
    assert got[("firmware.advisory", "S4")].status == "open"
    # W-OLD expires on the audit date: no longer applies; the finding is open with a note.
    s2 = got[("entity.listed", "S2")]
    assert s2.status == "open"
    assert r.expired_waivers[s2.fingerprint].note == "waiver W-OLD expired on 2025-06-18"
    assert any("waiver W-OLD" in w and "expired on 2025-06-18" in w and "1 finding(s)" in w for w in r.warnings)
    assert r.summary()["waived"] == 2

    # The day before, W-OLD still applies.
    r2 = fleet(date(2025, 6, 17))
    r2 = apply_waivers(r2, load_waivers(write(tmp_path, GOOD), r2.as_of))
    assert {f.asset_key for f in r2.iter_findings() if f.status == "waived" and f.rule_id == "entity.listed"} == {"S1", "S2"}

    # Before W-1 was created it does not apply.
    r3 = fleet(date(2025, 5, 15))
    r3 = apply_waivers(r3, load_waivers(write(tmp_path, GOOD), r3.as_of))
    assert [f.status for f in r3.iter_findings() if f.asset_key == "S1" and f.rule_id == "entity.listed"] == ["open"]
    assert any("W-1" in w and "after the audit date" in w for w in r3.warnings)


def test_waivers_recorded_with_run(engine, tmp_path):
    r = fleet()
    r = apply_waivers(r, load_waivers(write(tmp_path, GOOD), r.as_of))
    run_id = record_run(engine, r, T, T)
    stored = {w["id"]: w for w in stored_waivers(engine, run_id)}
    assert set(stored) == {"W-1", "W-2", "W-OLD"}
    assert stored["W-1"]["decision"] == "applied" and stored["W-1"]["findings"] == 1
    assert stored["W-OLD"]["decision"] == "expired" and stored["W-OLD"]["expires"] == "2025-06-18"
    assert stored["W-2"]["waiver"]["justification"] == "vendor patch scheduled"
    findings = {(f["rule_id"], f["asset"]["key"]): f for f in load_findings(engine, run_id)}
    assert findings[("entity.listed", "S1")]["status"] == "waived"
    assert findings[("entity.listed", "S1")]["waiver_id"] == "W-1"
    assert findings[("entity.listed", "S2")]["status"] == "open"


def test_expiring_within_and_durations(tmp_path):
    ws = load_waivers(write(tmp_path, GOOD), date(2025, 6, 18))
    assert [w.id for w in expiring_within(ws, date(2025, 6, 18), 30)] == ["W-OLD", "W-2"]
    assert [w.id for w in expiring_within(ws, date(2025, 6, 18), 75)] == ["W-OLD", "W-2", "W-1"]
    assert parse_days("30d") == 30 and parse_days("4w") == 28 and parse_days("12") == 12
    with pytest.raises(ValueError):
        parse_days("a month")


def lint(args):
    return CliRunner().invoke(cli, ["waivers", "lint", *args])


def test_lint_cli(engine, db_url, tmp_path):
    good_now = GOOD.replace("expires = 2025-06-18", "expires = 2025-06-30")
    p = write(tmp_path, good_now)
    # No recorded run: the match check cannot be done, and lint says so instead of passing.
    res = lint([str(p), "--as-of", "2025-06-18", "--db", db_url])
    assert res.exit_code == 2
    assert "no audit run recorded" in res.output

    record_run(engine, fleet(), T, T)
    res = lint([str(p), "--as-of", "2025-06-18", "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "3 waiver(s) OK as of 2025-06-18 against run 1" in res.output

    # Expired.
    res = lint([str(write(tmp_path, GOOD, "old.toml")), "--as-of", "2025-06-18", "--db", db_url])
    assert res.exit_code == 2
    assert "old.toml:21: waiver 'W-OLD' expired on 2025-06-18 (as of 2025-06-18)" in res.output

    # Matches nothing: right rule, serial not in the run; and a rule the run did not have.
    nomatch = good_now.replace('serial = "S2"', 'serial = "S9"').replace(
        'rule = "firmware.advisory"', 'rule = "tariff.section301"')
    res = lint([str(write(tmp_path, nomatch, "nomatch.toml")), "--as-of", "2025-06-18", "--db", db_url])
    assert res.exit_code == 2
    assert "nomatch.toml:21: waiver 'W-OLD' matches no finding (rule entity.listed, serial S9)" in res.output
    assert "nomatch.toml:11: waiver 'W-2' names rule 'tariff.section301', which is not a known rule" in res.output
    assert "W-1" not in res.output

    # Missing field: a load error, file and line, exit 2 (no database needed).
    res = lint([str(write(tmp_path, good_now.replace('approver = "John Doe"\n', ""), "nofield.toml")),
                "--no-match-check", "--as-of", "2025-06-18"])
    assert res.exit_code == 2
    assert "nofield.toml:21: waiver 'W-OLD': missing required key 'approver'" in res.output

    # Too distant: a 90-day policy rejects W-1 (92 days).
    res = lint([str(p), "--no-match-check", "--as-of", "2025-06-18", "--max-lifetime", "90d"])
    assert res.exit_code == 2
    assert "92 days after created 2025-06-01; the maximum lifetime is 90 days" in res.output


def test_list_cli(tmp_path):
    p = write(tmp_path, GOOD)
    res = CliRunner().invoke(cli, ["waivers", "list", str(p), "--expiring-within", "30d", "--as-of", "2025-06-18"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == [
        "W-OLD  2025-06-18  expired today  rule entity.listed  serial S2  approved by John Doe",
        "W-2  2025-07-01  expires in 13 day(s)  rule firmware.advisory  supplier acme* and model S19*  approved by Jane Roe, CCO",
    ]
    res = CliRunner().invoke(cli, ["waivers", "list", str(p), "--as-of", "2025-06-18", "--json"])
    doc = json.loads(res.output)
    assert [(w["id"], w["days_left"], w["expired"]) for w in doc["waivers"]] == [
        ("W-OLD", 0, True), ("W-2", 13, False), ("W-1", 75, False)]
    res = CliRunner().invoke(cli, ["waivers", "list", str(p), "--expiring-within", "soon"])
    assert res.exit_code == 2
