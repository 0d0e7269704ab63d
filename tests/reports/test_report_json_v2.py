"""report.json schema version 2: shared parts once, every finding whole when read back, the
shipped JSON Schema describing every report, and a size a million-rig fleet can carry."""

from __future__ import annotations

import copy
import json
from datetime import date

from conftest import REPO, read_report, run_cli

from auditor.formats.json_format import FORMAT
from auditor.report_json import SCHEMA_PATH, schema_errors


def test_a_plain_report_reads_back_as_every_finding_whole(tmp_path):
    """No waivers, no baseline: the columnar writer's lines, made whole, are Finding.as_json."""
    from tests.store.test_waivers import fleet

    result = fleet(date(2025, 6, 18))
    FORMAT.write(result, tmp_path)
    expected = [json.loads(json.dumps(f.as_json(), default=str)) for f in result.iter_findings()]
    assert expected
    assert read_report(tmp_path)["findings"] == expected


def test_keys_that_need_escaping_and_rigs_without_serial_read_back_whole(tmp_path):
    """The columnar writer quotes plain keys as they are; quotes, backslashes, non-ASCII text and
    rigs without a serial (keyed by file and line) take the escaping path: same findings."""
    from tests.store.test_waivers import FW, result

    rows = [{"serial": s, "model": "S19j Pro"} for s in ('S"1', "S\\2", "Сер-3", "S4")]
    rows.append({"serial": None, "model": "S19j Pro"})
    res = result(rows, [(FW, [0, 1, 2, 3, 4], "old firmware", {"version": "1.0"})], as_of=date(2025, 6, 18))
    FORMAT.write(res, tmp_path)
    expected = [json.loads(json.dumps(f.as_json(), default=str)) for f in res.iter_findings()]
    assert len(expected) == 5 and expected[-1]["asset"]["serial"] is None
    assert read_report(tmp_path)["findings"] == expected


def test_the_sample_report_matches_the_shipped_schema_and_a_broken_one_does_not(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("audit", REPO / "sample_inventory.csv", "--out", out, "--as-of", "2026-11-26", "--format", "json",
                   "--bundled-lists-only", env={"AUDITOR_DB": f"sqlite:///{tmp_path}/a.db"})
    assert proc.returncode == 1, proc.stderr
    doc = json.loads((out / "report.json").read_text())
    assert SCHEMA_PATH.is_file()
    assert schema_errors(doc) == []
    broken = copy.deepcopy(doc)
    del broken["findings"][0]["group"]
    broken["groups"][0]["severity"] = "urgent"
    errors = schema_errors(broken)
    assert any("$.findings[0]" in e and "'group' is a required property" in e for e in errors)
    assert any("$.groups[0].severity" in e for e in errors)


def test_shared_parts_are_written_once(tmp_path):
    """Rules' references and groups' evidence are not repeated per rig: a finding line is short."""
    fleet = tmp_path / "fleet.csv"
    lines = ["serial,manufacturer,model,firmware,firmware_version,assembly_country,supplier,declared_value_usd"]
    lines += [f"SN{i:05d},Bitmain,Antminer S21,stock,2024-11-20,CN,BitRiver,3100.00" for i in range(2000)]
    fleet.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    proc = run_cli("audit", fleet, "--out", out, "--as-of", "2026-11-26", "--format", "json", "--bundled-lists-only",
                   "--allow-missing", "hts_code", "--allow-missing", "import_date", "--allow-missing", "mac",
                   env={"AUDITOR_DB": f"sqlite:///{tmp_path}/a.db"})
    assert proc.returncode == 1, proc.stderr
    raw = json.loads((out / "report.json").read_text())
    assert len(raw["findings"]) >= 3 * 2000  # ENT-001, FW-004, ORIG-011 on every rig
    assert len(raw["groups"]) < 50
    size = (out / "report.json").stat().st_size
    assert size / len(raw["findings"]) < 300  # bytes per finding; version 1 wrote ~1.5 KB
    whole = read_report(out)["findings"]
    ent = next(f for f in whole if f["rule_id"] == "ENT-001")
    assert ent["evidence"]["listed_name"] == "BitRiver" and ent["references"] and ent["title"]
