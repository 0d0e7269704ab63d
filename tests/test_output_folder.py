"""The --out folder: planted links are never followed, an earlier run's reports are never left beside
new ones, and a folder that cannot be written is a clear exit 2 (docs/security.md)."""

from __future__ import annotations

import os

import pytest
from conftest import read_report, run_cli

RULES = ["--rules", "rules/data_quality"]
INVENTORY = "serial,manufacturer,model\nSN1,Bitmain,Antminer S21\nSN2,Bitmain,Antminer S19\n"


def audit(tmp_path, out, *extra):
    inv = tmp_path / "inv.csv"
    if not inv.exists():
        inv.write_text(INVENTORY)
    proc = run_cli("audit", str(inv), "--out", str(out), "--as-of", "2026-11-26", *RULES, *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_a_planted_report_json_link_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "authorized_keys"
    victim.write_text("ssh-ed25519 AAAA precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").symlink_to(victim)
    proc = audit(tmp_path, out)
    assert proc.returncode == 2
    assert "report files of an earlier run (report.json)" in proc.stderr
    assert victim.read_text() == "ssh-ed25519 AAAA precious\n"
    # --overwrite removes the link itself and writes a new file in its place
    proc = audit(tmp_path, out, "--overwrite")
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "ssh-ed25519 AAAA precious\n"
    assert not (out / "report.json").is_symlink()
    assert read_report(out)["summary"]["rows_read"] == 2


def test_a_dangling_findings_csv_link_never_creates_its_target(tmp_path):
    target = tmp_path / "cron.d" / "evil"
    target.parent.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "findings.csv").symlink_to(target)
    assert audit(tmp_path, out, "--format", "json,csv").returncode == 2
    assert not target.exists()
    proc = audit(tmp_path, out, "--format", "json,csv", "--overwrite")
    assert proc.returncode == 0, proc.stderr
    assert not target.exists()
    assert (out / "findings.csv").read_text(encoding="utf-8-sig").startswith("fingerprint,")


def test_rerunning_into_a_folder_names_the_old_reports_and_overwrite_removes_them(tmp_path):
    out = tmp_path / "out"
    assert audit(tmp_path, out, "--format", "json,html,csv,md").returncode == 0
    proc = audit(tmp_path, out, "--format", "json")
    assert proc.returncode == 2
    assert "findings.csv, report.html, report.json, report.md" in proc.stderr
    assert "--overwrite" in proc.stderr
    # no stale report stays beside the new one: only what this run wrote is in the folder
    proc = audit(tmp_path, out, "--format", "json", "--overwrite")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == ["report.json"]


def test_other_files_in_the_folder_are_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert audit(tmp_path, out).returncode == 0
    assert (out / "notes.txt").read_text() == "mine"


def test_an_out_path_that_is_a_link_a_file_or_another_users_folder_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    proc = audit(tmp_path, link)
    assert proc.returncode == 2 and f"output directory {link} is a symbolic link" in proc.stderr
    assert os.listdir(real) == []
    afile = tmp_path / "afile"
    afile.write_text("x")
    proc = audit(tmp_path, afile)
    assert proc.returncode == 2 and "exists and is not a directory" in proc.stderr
    if os.geteuid() == 0:  # root can hand a folder to another user; others cannot make one
        theirs = tmp_path / "theirs"
        theirs.mkdir()
        os.chown(theirs, 65534, 65534)
        proc = audit(tmp_path, theirs)
        assert proc.returncode == 2 and "belongs to another user" in proc.stderr


def test_an_unwritable_out_is_a_clear_exit_2(tmp_path):
    # /proc is a read-only file system for everyone, root included
    proc = audit(tmp_path, "/proc/auditor-out")
    assert proc.returncode == 2, proc.stderr
    assert "cannot create output directory /proc/auditor-out" in proc.stderr
    assert "internal error" not in proc.stderr


def test_report_files_of_every_format_and_signature_are_known():
    from auditor import output
    from auditor.signing.statement import SIGNATURE_FILES

    assert set(output.SIGNATURE_FILES) == set(SIGNATURE_FILES)
    assert {"report.json", "report.html", "report.pdf", "findings.csv", "report.sarif", "report.md",
            "report.junit.xml", "findings.parquet", "rigs.parquet"} <= output.report_file_names()


@pytest.mark.parametrize("fmt", ["json", "csv", "sarif", "md", "html"])
def test_a_failed_write_leaves_no_half_file(tmp_path, fmt, monkeypatch):
    from auditor import formats
    from auditor.output import create_file

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RuntimeError):
        with create_file(out / formats.get(fmt).filename) as fh:
            fh.write("half")
            raise RuntimeError("disk full")
    assert os.listdir(out) == []
