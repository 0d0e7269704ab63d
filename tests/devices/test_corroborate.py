"""`audit --devices`: the inventory held against a snapshot of fake rigs, in every report format."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone

import pytest
from conftest import read_report

from tests.conftest import run_cli
from tests.devices.conftest import assert_loopback, free_ports
from tests.devices.fakerigs import FakeRigs, Rig

HEADER = "Serial Number,Manufacturer,Miner Model,Firmware,FW Version,MAC Address,Site\n"


@pytest.fixture(scope="module")
def floor(tmp_path_factory):
    """A scanned site, its inventory and the snapshot (scanned once for the module)."""
    tmp = tmp_path_factory.mktemp("floor")
    rigs = {
        # declared DECL-1 at this MAC, but the control board says FAKE-1: a swap
        "127.42.0.1": Rig("antminer", serial="FAKE-1", mac="02:42:00:00:00:01", privileged_open=False,
                          board_serials=["HB-1-0", "HB-1-1", "HB-1-2"]),
        # nobody declares it, and its privileged API is open
        "127.42.0.2": Rig("antminer", serial="FAKE-2", mac="02:42:00:00:00:02", privileged_open=True,
                          board_serials=["HB-2-0", "HB-2-1", "HB-2-2"]),
        # declared with the 2023 build; reports the captured 20251209.16.Rel2
        "127.42.0.3": Rig("whatsminer_v3", serial="W-3", mac="02:42:00:00:00:03", psu_serial="PSU-3",
                          board_serials=["HB-3-0", "HB-SHARED", "HB-3-2"]),
        # shares a hashboard serial with W-3
        "127.42.0.4": Rig("whatsminer_v2", serial="W-4", mac="02:42:00:00:00:04",
                          board_serials=["HB-SHARED", "HB-4-1", "HB-4-2"]),
        # joined by MAC alone (Avalon reports no serial); declared model differs
        "127.42.0.5": Rig("avalon", mac="02:42:00:00:00:05", privileged_open=False),
    }
    inv = tmp / "fleet.csv"
    inv.write_text(HEADER +
                   "DECL-1,Bitmain,Antminer S19 Pro,stock,FR-1.12(251009-S21),02:42:00:00:00:01,Lab\n"
                   "W-3,MicroBT,Whatsminer M60S,stock,20230803.11.REL,02:42:00:00:00:03,Lab\n"
                   "W-4,MicroBT,Whatsminer M30S++,stock,20230803.11.REL,02:42:00:00:00:04,Lab\n"
                   "AV-5,Canaan,AvalonMiner 1246,stock,24102401_25462b2_9ddf522,02:42:00:00:00:05,Lab\n"
                   "GONE-6,Bitmain,Antminer S21,stock,,02:42:00:00:00:06,Lab\n"
                   "ELSE-7,Bitmain,Antminer S21,stock,,02:42:00:00:00:07,Elsewhere\n")
    snap = tmp / "snapshot.jsonl"
    api, web, v3 = free_ports(3)
    assert_loopback(rigs)
    with FakeRigs(rigs, api, web, v3):
        proc = run_cli("devices", "scan", "127.42.0.0/29", "--out", str(snap), "--site", "Lab",
                       "--api-port", str(api), "--web-port", str(web), "--whatsminer-port", str(v3), "--timeout", "2")
    assert proc.returncode == 0, proc.stderr
    return tmp, inv, snap


def audit(tmp, inv, snap, out, *extra):
    today = datetime.now(timezone.utc).date().isoformat()
    return run_cli("audit", inv.name, "--devices", snap.name, "--out", str(out), "--as-of", today,
                   "--bundled-lists-only", "--format", "json,html,pdf,csv,sarif,junit,md,parquet",
                   # The floor's inventory declares no origin: acknowledged, so origin rules are not the point.
                   "--allow-missing", "assembly_country", *extra, cwd=tmp)


def test_findings_show_both_sides_in_every_format(floor, isolated_db):
    tmp, inv, snap = floor
    out = tmp / "report"
    proc = audit(tmp, inv, snap, out)
    assert proc.returncode == 1, proc.stderr  # high-severity device findings fail the gate
    report = read_report(out)
    assert {c["rule_id"]: c["status"] for c in report["rule_coverage"] if c["rule_id"].startswith("DEV-")} == {
        f"DEV-00{k}": "evaluated" for k in range(1, 8)}
    dev = [f for f in report["findings"] if f["rule_id"].startswith("DEV-")]
    by_rule: dict[str, list] = {}
    for f in dev:
        by_rule.setdefault(f["rule_id"], []).append(f)
    # DEV-001 swap: on the declared row (fleet.csv line 2), both sides in the message.
    (swap,) = by_rule["DEV-001"]
    assert (swap["asset"]["file"], swap["asset"]["line"], swap["asset"]["serial"]) == ("fleet.csv", 2, "DECL-1")
    assert "reports serial FAKE-1, not the declared DECL-1" in swap["message"]
    assert "fleet.csv:2" in swap["message"] and "127.42.0.1 at " in swap["message"]
    assert swap["evidence"]["observed"]["address"] == "127.42.0.1"
    assert swap["evidence"]["declared"]["serial"] == "DECL-1"
    # DEV-004 undeclared: on the snapshot's line of 127.42.0.2 (the second address asked).
    (undeclared,) = by_rule["DEV-004"]
    assert (undeclared["asset"]["file"], undeclared["asset"]["line"]) == ("snapshot.jsonl", 2)
    assert undeclared["asset"]["serial"] == "FAKE-2" and "127.42.0.2" in undeclared["message"]
    # DEV-003 drift: the captured Whatsminer build against the declared one.
    drift = {f["asset"]["serial"]: f for f in by_rule["DEV-003"]}
    assert "version 20251209.16.Rel2 (declared 20230803.11.REL)" in drift["W-3"]["message"]
    # DEV-006 open privileged API: only the rig that granted it.
    assert [f["evidence"]["observed"]["address"] for f in by_rule["DEV-006"]] == ["127.42.0.2"]
    # DEV-005 not seen: GONE-6 of the scanned site; ELSE-7 is at a site the scan did not cover.
    assert [f["asset"]["serial"] for f in by_rule["DEV-005"]] == ["GONE-6"]
    # DEV-007: the shared hashboard serial, once per device that reports it.
    assert sorted(f["asset"]["serial"] for f in by_rule["DEV-007"]) == ["W-3", "W-4"]
    assert all(f["evidence"]["component_serial"] == "HB-SHARED" for f in by_rule["DEV-007"])
    # DEV-002: the Avalon joined by MAC reports another model than declared.
    (model,) = by_rule["DEV-002"]
    assert model["asset"]["serial"] == "AV-5" and "AvalonMiner 15-194" in model["message"]
    assert report["summary"]["devices"]["undeclared"] == 1 and report["summary"]["assets"] == 6
    assert any(s.get("kind") == "device_snapshot" for s in report["inputs"]["reference_data"])

    must = ["DEV-001", "DEV-004", "DEV-006", "127.42.0.1", "127.42.0.2", "FAKE-1"]
    texts = {
        "html": (out / "report.html").read_text(),
        "md": (out / "report.md").read_text(),
        "sarif": (out / "report.sarif").read_text(),
        "junit": (out / "report.junit.xml").read_text(),
        "csv": (out / "findings.csv").read_text(),
    }
    from pypdf import PdfReader

    texts["pdf"] = "\n".join(p.extract_text() for p in PdfReader(str(out / "report.pdf")).pages).replace("\n", " ")
    for name, text in texts.items():
        for needle in must:
            assert needle in text, (name, needle)
    import pyarrow.parquet as pq

    parquet = pq.read_table(out / "findings.parquet").to_pylist()
    assert {(r["rule_id"], r["file"], r["line"]) for r in parquet if r["rule_id"] in ("DEV-001", "DEV-004")} == {
        ("DEV-001", "fleet.csv", 2), ("DEV-004", "snapshot.jsonl", 2)}
    assert [r["serial"] for r in pq.read_table(out / "rigs.parquet").to_pylist()] == [
        "DECL-1", "W-3", "W-4", "AV-5", "GONE-6", "ELSE-7"]  # the declared rigs, not the observed devices
    rows = list(csv.DictReader((out / "findings.csv").open()))
    swap_rows = [r for r in rows if r.get("rule_id") == "DEV-001"]
    assert swap_rows and "fleet.csv:2" in json.dumps(swap_rows[0])


def test_firmware_advisories_are_evaluated_on_what_the_device_reports(tmp_path, isolated_db):
    """Declared Braiins OS on an S9, the device reports stock firmware: Antbleed applies to the device."""
    rigs = {"127.42.1.1": Rig("antminer", serial="S9-1", mac="02:42:00:00:01:01", model="Antminer S9")}
    inv = tmp_path / "s9.csv"
    inv.write_text(HEADER + "S9-1,Bitmain,Antminer S9,Braiins OS,22.08,02:42:00:00:01:01,Lab\n")
    snap = tmp_path / "snap.jsonl"
    api, web, v3 = free_ports(3)
    with FakeRigs(rigs, api, web, v3):
        proc = run_cli("devices", "scan", "127.42.1.1", "--out", str(snap), "--api-port", str(api),
                       "--web-port", str(web), "--whatsminer-port", str(v3), "--timeout", "2")
    assert proc.returncode == 0, proc.stderr
    proc = audit(tmp_path, inv, snap, tmp_path / "r")
    report = read_report(tmp_path / "r")
    antbleed = [f for f in report["findings"] if f["rule_id"] == "FW-001"]
    # Not on the declared row (Braiins OS is not affected), but on the device's snapshot line.
    assert [(f["asset"]["file"], f["asset"]["line"]) for f in antbleed] == [("snap.jsonl", 1)]
    assert any(f["rule_id"] == "DEV-003" for f in report["findings"])


def test_old_snapshot_is_stated_on_the_report(floor, isolated_db):
    tmp, inv, snap = floor
    later = (datetime.now(timezone.utc).date() + timedelta(days=30)).isoformat()
    out = tmp / "late"
    run_cli("audit", inv.name, "--devices", snap.name, "--out", str(out), "--as-of", later,
            "--bundled-lists-only", "--format", "json,html", "--devices-max-age", "7", cwd=tmp)
    report = read_report(out)
    assert any("was observed 30 days before the audit date (more than 7)" in w for w in report["warnings"])
    assert "was observed 30 days before the audit date" in (out / "report.html").read_text()


def test_a_broken_snapshot_is_a_usage_error(tmp_path, isolated_db, sample):
    snap = tmp_path / "bad.jsonl"
    snap.write_text('{"address": "127.0.0.1"}\n')
    proc = run_cli("audit", str(sample), "--devices", str(snap), "--out", str(tmp_path / "r"), "--as-of", "2026-11-26",
                   "--bundled-lists-only")
    assert proc.returncode == 2
    assert f"{snap}:1: not a device snapshot record" in proc.stderr and "Traceback" not in proc.stderr


def test_without_a_snapshot_device_rules_find_nothing(tmp_path, isolated_db, sample):
    proc = run_cli("audit", str(sample), "--out", str(tmp_path / "r"), "--as-of", "2026-11-26", "--bundled-lists-only",
                   "--format", "json")
    report = read_report(tmp_path / "r")
    assert not [f for f in report["findings"] if f["rule_id"].startswith("DEV-")]
    assert proc.returncode in (0, 1)
    # … and say so: not applicable, not evaluated and clean
    device_rules = [c for c in report["rule_coverage"] if c["rule_id"].startswith("DEV-")]
    assert len(device_rules) == 7 and all(c["status"] == "not_applicable" for c in device_rules)


def test_a_rejected_row_is_screened_and_never_joined_to_a_device(floor, isolated_db):
    """A rejected row (its model missing) on the scanned site: its listed manufacturer is a finding
    (engine/rejected.py), and it is no declared rig — no "not seen on the scanned site" finding."""
    tmp, inv, snap = floor
    fleet = tmp / "fleet_rejected.csv"
    fleet.write_text(inv.read_text(encoding="utf-8")
                     + "REJ-8,Sophgo Technologies Ltd.,,stock,,02:42:00:00:00:08,Lab\n", encoding="utf-8")
    out = tmp / "report-rejected"
    proc = audit(tmp, fleet, snap, out, "--overwrite")
    assert proc.returncode == 1, proc.stderr
    report = read_report(out)
    on_rejected = [f for f in report["findings"] if f["asset"]["file"] == fleet.name and f["asset"]["line"] == 8]
    assert [f["rule_id"] for f in on_rejected] == ["ENT-001"], on_rejected
    assert on_rejected[0]["asset"]["rejected"] == "model is empty (required)"
    assert report["summary"]["devices"]["undeclared"] == 1  # FAKE-2 only, as without the rejected row
