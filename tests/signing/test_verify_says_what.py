"""`auditor verify` says what it verified, from the signed statement (issue 16, item 8).

A real audit of the sample fleet, signed through `auditor audit --sign`, then verified through the
CLI as a regulator would: the output names the issuer, the organisation, the audit id, the as-of
date, the status and the counts — the same values report.json carries. A tampered folder fails and
states nothing of what it claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, read_report, run_cli

ENV = {"AUDITOR_KEY_PASSPHRASE": "correct horse battery"}


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("verify-says")
    keys = d / "keys"
    made = run_cli("keys", "generate", "--out", str(keys), "--org", "Example Mining LLC", env=ENV)
    assert made.returncode == 0, made.stderr
    out = d / "out"
    proc = run_cli("audit", str(REPO / "sample_inventory.csv"), "--out", str(out), "--as-of", "2026-11-26",
                   "--format", "json,pdf,csv", "--org", "Example Mining LLC", "--bundled-lists-only",
                   "--no-record", "--sign", "--key", str(keys), "-q", env=ENV)
    assert proc.returncode == 1, proc.stderr
    return out, keys


def test_verify_names_issuer_organisation_audit_dates_status_and_counts(signed):
    out, keys = signed
    proc = run_cli("verify", str(out), "--trust", str(keys / "root.pem"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = read_report(out)
    s = doc["summary"]
    said = proc.stdout[proc.stdout.index("The signed statement says:"):]
    fields = {line[2:16].strip(): line[16:] for line in said.splitlines()[1:] if line.startswith("  ")}
    assert "O=Example Mining LLC" in fields["issuer"]
    assert fields["organisation"] == "Example Mining LLC"
    assert fields["audit id"] == doc["audit_id"] and len(doc["audit_id"]) == 16
    assert fields["as of"] == "2026-11-26"
    assert fields["law researched"] == doc["law_researched"]
    assert fields["status"] == "COMPLETE"
    assert fields["rigs"].startswith(f"{s['assets']} audited ({s['rows_read']} rows read, {s['rows_rejected']} rejected); "
                                     f"{s['assets_with_findings']} with a finding")
    o = s["open_by_severity"]
    assert fields["open findings"].startswith(
        f"{o['critical']} critical, {o['high']} high, {o['medium']} medium, {o['low']} low")
    assert fields["inventories"].startswith("sample_inventory.csv (sha256 ")


def test_a_tampered_report_states_nothing_it_claims(signed, tmp_path):
    import shutil

    out, keys = signed
    bad = tmp_path / "bad"
    shutil.copytree(out, bad)
    csv = bad / "findings.csv"
    csv.write_bytes(csv.read_bytes() + b"\r\n")
    proc = run_cli("verify", str(bad), "--trust", str(keys / "root.pem"))
    assert proc.returncode == 1
    assert "The signed statement says" not in proc.stdout and "audit id" not in proc.stdout
