"""SARIF 2.1.0 output: validates against the official schema and says what a code-scanning UI needs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from conftest import read_report

from auditor.formats import get
from auditor.formats.sarif_format import artifact_uri

from .helpers import (
    AS_OF,
    BAD_LINE_NO,
    PROCUREMENT,
    RULE_ARGS,
    audit_result,
    cli_env,
    gating,
    orig001,
    procurement_copy,
    rule_ids,
    run_cli,
    sarif_schema_path,
)


def validate(doc: dict) -> None:
    schema = json.loads(sarif_schema_path().read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def write_sarif(result, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    path = get("sarif").write(result, out)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cli_sarif(tmp_path_factory) -> tuple[dict, bytes]:
    work = tmp_path_factory.mktemp("sarif")
    csv = procurement_copy(work / "procurement" / "orders.csv")
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "sarif",
                    "--out", "out", "--fail-on", "medium"], cwd=work)
    assert proc.returncode == 1, proc.stderr
    raw = (work / "out" / "report.sarif").read_bytes()
    assert csv.exists()
    return json.loads(raw), raw


def test_validates_and_points_at_the_bad_line(cli_sarif):
    doc, _ = cli_sarif
    validate(doc)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    results = gating(doc["runs"][0]["results"])
    assert len(results) == 1  # the bad line is the only thing that fails the medium gate
    res = results[0]
    assert res["ruleId"] == "ORIG-001"
    loc = res["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "procurement/orders.csv"
    assert loc["physicalLocation"]["region"]["startLine"] == BAD_LINE_NO
    # No serial on a purchase-order line: the asset is the PO number and line.
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "po:PO-2026-0142/4"
    # ORIG-001 is medium: a warning, security-severity in GitHub's medium band.
    assert res["level"] == "warning"
    assert res["properties"]["security-severity"] == "5.5"
    assert len(res["partialFingerprints"]["auditorFinding/v1"]) == 32
    assert "baselineState" not in res and "suppressions" not in res


def test_every_rule_is_described_with_help_and_citation(cli_sarif):
    doc, _ = cli_sarif
    driver = doc["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == rule_ids()  # every rule, not only those that fired
    (res,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "ORIG-001"]
    assert driver["rules"][res["ruleIndex"]]["id"] == "ORIG-001"
    orig = driver["rules"][ids.index("ORIG-001")]
    assert orig["helpUri"] == "https://www.ecfr.gov/current/title-15/subtitle-A/part-791/subpart-A/section-791.4"
    assert "Remediation: Record hashboard and chip origin" in orig["help"]["text"]
    assert "15 CFR 791.4 — Determination of foreign adversaries" in orig["help"]["text"]
    assert orig["properties"]["security-severity"] == "5.5"
    assert "origin" in orig["properties"]["tags"]
    dq2 = driver["rules"][ids.index("DQ-002")]  # high
    assert dq2["defaultConfiguration"]["level"] == "error" and dq2["properties"]["security-severity"] == "8.0"
    dq3 = driver["rules"][ids.index("DQ-003")]  # low
    assert dq3["defaultConfiguration"]["level"] == "note" and dq3["properties"]["security-severity"] == "3.0"


def test_byte_identical_across_runs(cli_sarif, tmp_path):
    _, first = cli_sarif
    procurement_copy(tmp_path / "procurement" / "orders.csv")
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "sarif",
                    "--out", "again", "--fail-on", "medium"], cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert (tmp_path / "again" / "report.sarif").read_bytes() == first
    # The other CI formats too: same inputs, same bytes (no timestamps, sorted output).
    outputs = []
    for run in ("a", "b"):
        work = tmp_path / run
        procurement_copy(work / "procurement" / "orders.csv")
        proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "junit,md",
                        "--out", "out", "--fail-on", "medium"], cwd=work)
        assert proc.returncode == 1, proc.stderr
        outputs.append([(work / "out" / name).read_bytes() for name in ("report.junit.xml", "report.md")])
    assert outputs[0] == outputs[1]


def test_waived_finding_is_carried_with_an_external_suppression(tmp_path):
    result = audit_result(PROCUREMENT)
    finding = orig001(result)
    waiver = {"id": "W-2026-007", "justification": "Hashboards re-sourced from Malaysia, see PO amendment 3",
              "approver": "Jane Roe, CCO", "expires": "2027-03-01"}
    result = replace(result, waivers={finding.fingerprint: waiver})
    doc = write_sarif(result, tmp_path)
    validate(doc)
    (res,) = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
    assert res["ruleId"] == "ORIG-001"
    (sup,) = res["suppressions"]
    assert sup["kind"] == "external" and sup["status"] == "accepted"
    assert sup["justification"].startswith("Hashboards re-sourced from Malaysia, see PO amendment 3")
    assert "W-2026-007" in sup["justification"] and "2027-03-01" in sup["justification"]


def test_baseline_states_and_absent_results(tmp_path):
    result = audit_result(PROCUREMENT)
    finding = orig001(result)
    others = [f.fingerprint for f in result.iter_findings() if f.rule_id != "ORIG-001"]
    # A baseline without the ORIG-001 finding, and with one finding gone since.
    result = replace(result, baseline={fp: "unchanged" for fp in others}, absent=({
        "fingerprint": "0" * 32, "rule_id": "DQ-006", "severity": "low", "message": "old formula cell",
        "asset": {"serial": None, "key": "po:PO-2026-0100/2", "file": "procurement/orders.csv", "line": 9},
    },))
    doc = write_sarif(result, tmp_path / "a")
    validate(doc)
    states = {r["partialFingerprints"]["auditorFinding/v1"]: r["baselineState"] for r in doc["runs"][0]["results"]}
    assert states == {**{fp: "unchanged" for fp in others}, finding.fingerprint: "new", "0" * 32: "absent"}
    (new,) = [r for r in doc["runs"][0]["results"] if r["baselineState"] == "new"]
    (absent,) = [r for r in doc["runs"][0]["results"] if r["baselineState"] == "absent"]
    assert new["partialFingerprints"]["auditorFinding/v1"] == finding.fingerprint
    assert absent["baselineState"] == "absent" and absent["ruleId"] == "DQ-006" and absent["level"] == "note"
    assert absent["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "po:PO-2026-0100/2"

    result = replace(result, baseline={f.fingerprint: "unchanged" for f in result.iter_findings()}, absent=())
    doc = write_sarif(result, tmp_path / "b")
    validate(doc)
    assert {r["baselineState"] for r in doc["runs"][0]["results"]} == {"unchanged"}


def test_rejected_rows_are_tool_notifications_and_serials_are_rig_locations(tmp_path):
    csv = tmp_path / "fleet.csv"
    csv.write_text(
        "Serial Number,Model,Assembly Country,Ship From\n"
        "AN-1,Antminer S21,CN,MY\n"
        "AN-2,Antminer S21,ZZ,MY\n"  # unknown country: rejected, never silently dropped
        "AN-3,Antminer S21,MY,Atlantis\n",  # unknown ship-from country: rejected
        encoding="utf-8",
    )
    doc = write_sarif(audit_result(csv), tmp_path / "out")
    validate(doc)
    (res,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "ORIG-001"]
    assert res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "rig:AN-1"
    inv = doc["runs"][0]["invocations"][0]
    notes = [n for n in inv["toolExecutionNotifications"] if n["descriptor"]["id"] == "rejected-row"]
    assert [n["locations"][0]["physicalLocation"]["region"]["startLine"] for n in notes] == [3, 4]
    assert "ZZ" in notes[0]["message"]["text"] and "ship_from_country" in notes[1]["message"]["text"]
    # The CSV is given by absolute path here: the report names it by file name only, never by a
    # path of the machine that ran the audit.
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "fleet.csv"


@pytest.mark.parametrize("path,uri", [
    ("procurement/orders 2026.csv", "procurement/orders%202026.csv"),
    ("./po.csv", "po.csv"),
    ("procurement\\orders.csv", "procurement/orders.csv"),
    ("/srv/repo/po.csv", "file:///srv/repo/po.csv"),
])
def test_artifact_uris(path, uri):
    assert artifact_uri(path) == uri


def test_cli_writes_sarif_and_md_together(tmp_path):
    procurement_copy(tmp_path / "po.csv", fixed=True)
    proc = run_cli(*["audit", "po.csv", *RULE_ARGS, "--format", "sarif,md", "--out", "o", "--fail-on", "medium"],
                   cwd=tmp_path, env=cli_env(AUDITOR_AS_OF=AS_OF))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "o" / "report.sarif").read_text(encoding="utf-8"))
    validate(doc)
    assert gating(doc["runs"][0]["results"]) == []
    assert doc["runs"][0]["properties"]["as_of"] == AS_OF  # AUDITOR_AS_OF honoured


@pytest.fixture(scope="module")
def fleet_sarif(tmp_path_factory):
    """30,000 generated rigs, every severity listed (--fail-on info): more findings than GitHub's
    25,000-result limit, so the file must aggregate."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from generate_inventory import generate

    work = tmp_path_factory.mktemp("fleet")
    with open(work / "fleet.csv", "w", encoding="utf-8", newline="") as fh:
        generate(30_000, fh)
    proc = run_cli(*["audit", "fleet.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "sarif,json",
                    "--out", "out", "--fail-on", "info"], cwd=work)
    assert proc.returncode == 1, proc.stderr
    report = read_report(work / "out")
    return work / "out" / "report.sarif", report


def test_fleet_sarif_stays_within_code_scanning_limits_and_keeps_counts(fleet_sarif):
    import gzip

    path, report = fleet_sarif
    total = report["summary"]["findings"]
    assert total > 25_000, "the fixture must exceed the limit to test anything"
    raw = path.read_bytes()
    assert len(gzip.compress(raw)) <= 10 * 1024 * 1024
    doc = json.loads(raw)
    results = doc["runs"][0]["results"]
    # Schema-validate every aggregated result and a sample of the per-rig ones (validating all
    # 25,000 takes half a minute and checks the same shape again and again).
    sample = json.loads(raw)
    sample["runs"][0]["results"] = results[:200] + [r for r in results if "aggregated" in r["properties"]]
    validate(sample)
    assert len(results) <= 25_000
    # Every finding is accounted for: one per listed rig, or the count an aggregated result carries.
    represented = sum(r["properties"].get("aggregated", {}).get("count", 1) for r in results)
    assert represented == total
    aggregated = [r for r in results if "aggregated" in r["properties"]]
    assert aggregated, "beyond the cap, units are aggregated"
    for r in aggregated:
        assert r["message"]["text"].startswith(f"{r['properties']['aggregated']['count']} rigs: ")
        assert r["locations"][0]["physicalLocation"]["region"]["startLine"] == r["properties"]["aggregated"]["lines"][0]
    # Most severe problems keep their per-rig results: no high finding is aggregated while a
    # lower one is listed rig by rig.
    listed = {r["properties"]["severity"] for r in results if "aggregated" not in r["properties"]}
    folded = {r["properties"]["severity"] for r in aggregated}
    assert report["summary"]["by_severity"]["high"] > 0 and "high" in listed
    assert "high" not in folded and "critical" not in folded
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "aggregated" for n in notes)


def test_default_min_severity_follows_fail_on_and_counts_the_rest(tmp_path):
    procurement_copy(tmp_path / "procurement" / "orders.csv")
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "sarif,json",
                    "--out", "out", "--fail-on", "high"], cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    report = read_report(tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
    run = doc["runs"][0]
    by_sev = report["summary"]["by_severity"]
    assert {r["properties"]["severity"] for r in run["results"]} <= {"high", "critical"}
    assert len(run["results"]) == by_sev["high"] + by_sev["critical"]
    omitted = run["properties"]["omitted_below_min_severity"]
    assert omitted == {k: by_sev[k] if k in ("info", "low", "medium") else 0 for k in by_sev}
    if sum(omitted.values()):
        texts = [n["message"]["text"] for n in run["invocations"][0].get("toolExecutionNotifications", [])]
        assert any("--sarif-min-severity" in t for t in texts)
    # Asked for explicitly, the lower severities are listed again.
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "sarif",
                    "--out", "all", "--fail-on", "high", "--sarif-min-severity", "info"], cwd=tmp_path)
    doc = json.loads((tmp_path / "all" / "report.sarif").read_text(encoding="utf-8"))
    assert len(doc["runs"][0]["results"]) == report["summary"]["findings"]
