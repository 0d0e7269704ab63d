"""`auditor audit --sign` refuses a bad key before writing anything: no unsigned report is left."""

from __future__ import annotations

from conftest import REPO, run_cli


def test_wrong_passphrase_writes_no_report(tmp_path):
    keys = tmp_path / "keys"
    made = run_cli("keys", "generate", "--out", str(keys), "--org", "Example Mining LLC",
                   env={"AUDITOR_KEY_PASSPHRASE": "correct horse"})
    assert made.returncode == 0, made.stderr
    out = tmp_path / "signed"
    proc = run_cli("audit", str(REPO / "sample_inventory.csv"), "--out", str(out), "--as-of", "2026-11-26",
                   "--format", "json,pdf", "--sign", "--key", str(keys), "--bundled-lists-only",
                   env={"AUDITOR_KEY_PASSPHRASE": "wrong horse!", "AUDITOR_DB": f"sqlite:///{tmp_path}/a.db"})
    assert proc.returncode == 2
    assert "cannot sign: wrong passphrase" in proc.stderr
    assert not out.exists() or not any(out.iterdir())
