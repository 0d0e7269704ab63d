"""The project config file names the time-stamping authority (and B-LTA) once for every signed run.

A real RFC 3161 TSA on 127.0.0.1 (tsa_server.py); the commands run in a fresh interpreter in a
folder holding the team's auditor.toml, as CI would run them.
"""

from __future__ import annotations

import json
import shutil

from conftest import REPO, run_cli

from .conftest import PASSPHRASE, make_report

ENV = {"AUDITOR_KEY_PASSPHRASE": PASSPHRASE}


def write_config(folder, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "auditor.toml").write_text(text, encoding="utf-8")
    return folder


def test_sign_takes_the_tsa_from_the_config_file(tmp_path, pdf_bytes, short_keys, tsa, tsa_root):
    project = write_config(tmp_path / "project", f'tsa = "{tsa.url}"\n')
    report = make_report(project / "report", pdf_bytes)
    res = run_cli("sign", "report", "--key", short_keys, cwd=project, env=ENV)
    assert res.returncode == 0, res.stderr
    assert "PAdES B-T" in res.stdout
    assert (report / "report.sigstore.json").is_file()
    assert tsa.requests >= 3  # probe, PDF signature timestamp, DSSE signature timestamp
    checked = run_cli("verify", report, "--trust", short_keys / "root.pem", "--tsa-trust", tsa_root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "signature timestamp" in checked.stdout


def test_audit_sign_uses_config_tsa_and_long_term(tmp_path, short_keys, tsa, tsa_root):
    project = write_config(tmp_path / "project", f'tsa = "{tsa.url}"\nlong_term = true\n')
    shutil.copy(REPO / "sample_inventory.csv", project / "fleet.csv")
    res = run_cli("audit", "fleet.csv", "--out", "out", "--as-of", "2026-11-26", "--format", "json,pdf",
                  "--sign", "--key", short_keys, "--bundled-lists-only",
                  cwd=project, env={**ENV, "AUDITOR_DB": f"sqlite:///{tmp_path}/a.db"})
    assert res.returncode == 1, res.stderr  # the sample has findings
    bundle = json.loads((project / "out" / "report.sigstore.json").read_text())
    assert bundle["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"]
    checked = run_cli("verify", project / "out", "--trust", short_keys / "root.pem", "--tsa-trust", tsa_root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "B-LTA" in checked.stdout


def test_an_unsigned_audit_ignores_the_config_tsa(tmp_path, tsa):
    project = write_config(tmp_path / "project", f'tsa = "{tsa.url}"\nlong_term = true\n')
    shutil.copy(REPO / "sample_inventory.csv", project / "fleet.csv")
    res = run_cli("audit", "fleet.csv", "--out", "out", "--as-of", "2026-11-26", "--format", "json",
                  "--bundled-lists-only", cwd=project, env={"AUDITOR_DB": f"sqlite:///{tmp_path}/a.db"})
    assert res.returncode == 1, res.stderr
    assert not (project / "out" / "report.sigstore.json").exists()
    assert tsa.requests == 0


def test_tsa_on_the_command_line_without_sign_is_still_refused(tmp_path, tsa):
    project = write_config(tmp_path / "project", "")
    res = run_cli("audit", REPO / "sample_inventory.csv", "--out", "out", "--tsa", tsa.url,
                  "--bundled-lists-only", cwd=project, env={"AUDITOR_DB": f"sqlite:///{tmp_path}/a.db"})
    assert res.returncode == 2
    assert "--tsa timestamps signatures: give it with --sign" in res.stderr


def test_a_config_tsa_that_is_not_a_url_names_file_and_line(tmp_path, pdf_bytes, short_keys):
    project = write_config(tmp_path / "project", 'fail_on = "high"\ntsa = "timestamp.example"\n')
    make_report(project / "report", pdf_bytes)
    res = run_cli("sign", "report", "--key", short_keys, cwd=project, env=ENV)
    assert res.returncode == 2
    assert "auditor.toml:2" in res.stderr and "tsa must be an http:// or https:// URL" in res.stderr
    assert not (project / "report" / "report.intoto.json").exists()


def test_config_show_lists_the_tsa_and_where_it_came_from(tmp_path):
    project = write_config(tmp_path / "project", 'tsa = "http://127.0.0.1:9/tsa"\n')
    res = run_cli("config", "show", "--json", cwd=project)
    rows = {r["setting"]: r for r in json.loads(res.stdout)["settings"]}
    assert rows["tsa"]["value"] == "http://127.0.0.1:9/tsa"
    assert rows["tsa"]["origin"].endswith("auditor.toml:1")
    assert rows["long_term"]["origin"] == "default"
