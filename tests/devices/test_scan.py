"""`auditor devices scan` against fake rigs replaying captured device replies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests.conftest import REPO, run_cli
from tests.devices.conftest import assert_loopback, free_ports
from tests.devices.fakerigs import FakeRigs, Rig

SCHEMA = json.loads((REPO / "auditor" / "devices" / "snapshot.schema.json").read_text())


def validate(records):
    v = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    for r in records:
        errors = [e.message for e in v.iter_errors(r)]
        assert not errors, (r["address"], errors)


def scan_cli(tmp_path: Path, rigs: dict, *extra: str, targets=None, ports=None):
    api, web, v3 = ports or free_ports(3)
    out = tmp_path / "snapshot.jsonl"
    targets = targets or list(rigs)
    assert_loopback([t for t in targets if not t.startswith("@")])
    with FakeRigs(rigs, api, web, v3) as fake:
        proc = run_cli("devices", "scan", *targets, "--out", str(out), "--api-port", str(api),
                       "--web-port", str(web), "--whatsminer-port", str(v3), "--timeout", "1", *extra)
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return proc, records, fake


def by_address(records):
    return {r["address"]: r for r in records}


def test_every_make_replayed_verbatim_is_identified_and_the_snapshot_validates(tmp_path):
    rigs = {"127.41.0.1": Rig("antminer"), "127.41.0.2": Rig("avalon", privileged_open=False),
            "127.41.0.3": Rig("luxos"), "127.41.0.4": Rig("whatsminer_v3"), "127.41.0.5": Rig("whatsminer_v2"),
            }
    proc, records, _ = scan_cli(tmp_path, rigs, targets=[*rigs, "127.41.0.9"])
    assert proc.returncode == 0, proc.stderr
    assert [r["address"] for r in records] == [*rigs, "127.41.0.9"]  # target order, one per address
    validate(records)
    r = by_address(records)
    ant = r["127.41.0.1"]
    # Values as captured in the fixtures (fixtures/SOURCES.md), not computed by the scanner.
    assert (ant["make"], ant["model"], ant["serial"], ant["hostname"]) == (
        "Antminer", "Antminer S19 Pro", "THQING0BDJAB024NF", "Antminer")
    assert ant["mac"] == "02:55:97:22:3M:72"  # malformed in the capture: kept verbatim, not dropped
    assert ant["firmware"] == "stock" and ant["firmware_version"] == "FR-1.12(251009-S21)"
    assert ant["api_privileged_open"] is True
    assert [c["serial"] for c in ant["components"]] == ["REDACTED-SERIAL"] * 3
    av = r["127.41.0.2"]
    assert (av["make"], av["model"], av["mac"], av["serial"]) == ("Avalon", "AvalonMiner 15-194", "12:34:56:78:90:12", None)
    assert av["firmware_version"] == "24102401_25462b2_9ddf522" and av["api_privileged_open"] is False
    assert av["components"][0]["serial"] == "020100008c699117"  # the controller DNA
    lux = r["127.41.0.3"]
    assert (lux["make"], lux["firmware"], lux["serial"], lux["mac"]) == (
        "Antminer", "LuxOS", "JYZZB0UBDJABF06RB", "62:F7:5E:B7:10:46")
    assert lux["firmware_version"] == "2025.4.8.220305-57b389c7" and lux["model"] == "Antminer S19k Pro"
    w3 = r["127.41.0.4"]
    assert (w3["make"], w3["model"], w3["serial"], w3["mac"]) == (
        "Whatsminer", "Whatsminer M60S", "BTM3CS40HD24083100000000000000000", "CE:02:01:00:8C:36")
    assert w3["firmware_version"] == "20251209.16.Rel2" and w3["api_privileged_open"] is None
    boards = [c for c in w3["components"] if c["kind"] == "hashboard"]
    assert [b["serial"] for b in boards] == ["BKM3CSE1404807K42757", "BKM3CSE1404812K43675", "BKM3CSE1404807K42762"]
    assert boards[0]["lot_codes"] == ["K8EC374-2426", "BINVE6-197806A"]
    psu = [c for c in w3["components"] if c["kind"] == "psu"][0]
    assert (psu["serial"], psu["model"]) == ("1436B2429603097", "P221B")
    w2 = r["127.41.0.5"]
    assert (w2["make"], w2["mac"], w2["firmware_version"]) == ("Whatsminer", "D4:01:02:03:04:05", "20230803.11.REL")
    assert [c["serial"] for c in w2["components"] if c["kind"] == "hashboard"] == [
        "BHM5CSD1302803K30001", "BHM5CSD1302803K30002", "BHM5CSD1302803K30003"]
    assert all(not x["errors"] for x in records[:5]), [x["errors"] for x in records[:5]]
    silent = r["127.41.0.9"]
    assert silent["reachable"] is False and silent["make"] is None
    assert "5 rigs identified" in proc.stdout


def test_scan_sends_only_reads(tmp_path):
    rigs = {"127.41.1.1": Rig("antminer"), "127.41.1.2": Rig("avalon"), "127.41.1.3": Rig("luxos"),
            "127.41.1.4": Rig("whatsminer_v3"), "127.41.1.5": Rig("whatsminer_v2")}
    proc, _, fake = scan_cli(tmp_path, rigs)
    assert proc.returncode == 0, proc.stderr
    reads = {
        '{"command": "version"}', '{"command": "privileged"}', '{"command": "config"}', '{"cmd": "get_version"}',
        '{"cmd": "devs"}', '{"cmd": "get_psu"}', '{"cmd": "get.device.info"}',
        '{"cmd": "get_miner_info", "info": "ip,proto,netmask,gateway,dns,hostname,mac,ledstat,minersn,powersn"}',
        "GET /", "GET /cgi-bin/get_system_info.cgi", "GET /cgi-bin/stats.cgi",
    }
    sent = {req for _, _, req in fake.requests}
    assert sent <= reads, sent - reads
    assert '{"command": "privileged"}' in sent  # asked without an argument: never a privileged action


def test_hostile_devices_are_recorded_and_the_scan_goes_on(tmp_path):
    rigs = {"127.41.2.1": Rig("garbage"), "127.41.2.2": Rig("huge"), "127.41.2.3": Rig("drip"),
            "127.41.2.4": Rig("reset"), "127.41.2.5": Rig("wrong_types"), "127.41.2.6": Rig("silent"),
            "127.41.2.7": Rig("wrong_types_web"), "127.41.2.8": Rig("antminer", serial="GOOD1")}
    proc, records, _ = scan_cli(tmp_path, rigs)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    validate(records)
    r = by_address(records)
    errors = {a: " | ".join(e["error"] for e in rec["errors"]) for a, rec in r.items()}
    assert "not UTF-8" in errors["127.41.2.1"]
    assert "larger than 1048576 bytes" in errors["127.41.2.2"]
    assert "no complete reply within 1 s" in errors["127.41.2.3"]
    assert "connection reset" in errors["127.41.2.4"]
    assert "Type is a JSON list, expected text" in errors["127.41.2.5"]
    assert "no complete reply within 1 s" in errors["127.41.2.6"]
    assert "serinum is a JSON dict, expected text" in errors["127.41.2.7"]
    assert r["127.41.2.7"]["serial"] is None  # a wrongly typed field is never guessed
    assert r["127.41.2.8"]["serial"] == "GOOD1" and not r["127.41.2.8"]["errors"]


def test_web_login_from_credentials_file_and_never_written(tmp_path):
    rigs = {"127.41.3.1": Rig("antminer", serial="SN-A", login=("admin", "s3cret-pw"))}
    creds = tmp_path / "logins.toml"
    proc, records, _ = scan_cli(tmp_path, rigs)  # factory login refused by this rig
    assert proc.returncode == 0
    assert records[0]["serial"] is None
    assert any("web login refused (401)" in e["error"] for e in records[0]["errors"])
    creds.write_text('[antminer]\nusername = "admin"\npassword = "s3cret-pw"\n')
    proc, records, _ = scan_cli(tmp_path, rigs, "--credentials", str(creds))
    assert proc.returncode == 0, proc.stderr
    assert records[0]["serial"] == "SN-A" and not records[0]["errors"]
    out = (tmp_path / "snapshot.jsonl").read_text()
    assert "s3cret-pw" not in out and "s3cret-pw" not in proc.stdout + proc.stderr


def test_targets_from_a_file_and_ranges(tmp_path):
    rigs = {"127.41.4.1": Rig("avalon", mac="02:00:00:00:00:01"), "127.41.4.2": Rig("avalon", mac="02:00:00:00:00:02")}
    listing = tmp_path / "targets.txt"
    listing.write_text("# floor 2\n127.41.4.0/30\n127.41.4.9  # spare\n")
    proc, records, _ = scan_cli(tmp_path, rigs, targets=[f"@{listing}"])
    assert proc.returncode == 0, proc.stderr
    assert [r["address"] for r in records] == ["127.41.4.1", "127.41.4.2", "127.41.4.9"]
    assert [r["mac"] for r in records] == ["02:00:00:00:00:01", "02:00:00:00:00:02", None]
    assert proc.stderr == ""  # no progress display when stderr is not a terminal


@pytest.mark.parametrize("target, message", [
    ("127.0.0.0/15", "'127.0.0.0/15' is a /15: at most a /16"),
    ("127.0.0.300", "'127.0.0.300' is not an IPv4 address"),
    ("@/nonexistent/targets.txt", "/nonexistent/targets.txt: cannot read the target file"),
])
def test_bad_targets_are_usage_errors(tmp_path, target, message):
    proc = run_cli("devices", "scan", target, "--out", str(tmp_path / "s.jsonl"))
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "s.jsonl").exists()


def test_bad_line_in_target_file_names_file_and_line(tmp_path):
    listing = tmp_path / "t.txt"
    listing.write_text("127.0.0.5\nrig-17.local\n")
    proc = run_cli("devices", "scan", f"@{listing}", "--out", str(tmp_path / "s.jsonl"))
    assert proc.returncode == 2
    assert f"{listing}:2: 'rig-17.local' is not an IPv4 address" in proc.stderr


def test_loopback_guard_refuses_other_addresses_before_any_connection(tmp_path):
    proc = run_cli("devices", "scan", "192.0.2.1", "--out", str(tmp_path / "s.jsonl"), "--timeout", "0.1")
    assert proc.returncode == 2
    assert "192.0.2.1 is outside 127.0.0.0/8" in proc.stderr


def test_bad_credentials_file_is_a_usage_error(tmp_path):
    creds = tmp_path / "c.toml"
    creds.write_text('[antminer]\nusername = "root"\n')
    proc = run_cli("devices", "scan", "127.0.0.1", "--out", str(tmp_path / "s.jsonl"), "--credentials", str(creds))
    assert proc.returncode == 2
    assert "[antminer] needs exactly `username` and `password`" in proc.stderr
