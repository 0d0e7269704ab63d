"""The history commands as a user runs them: a real `python -m auditor` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from auditor.store.db import head_revision

ROOT = Path(__file__).resolve().parents[2]


def auditor(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=300)


def test_db_upgrade_and_history_via_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'team.db'}"
    p = auditor("db", "upgrade", env={"AUDITOR_DB": url})
    assert p.returncode == 0, p.stderr
    assert f"upgraded from empty to {head_revision()}" in p.stdout
    p = auditor("history", env={"AUDITOR_DB": url})
    assert p.returncode == 0 and p.stdout == "no audit runs recorded\n"
    p = auditor("db", "current", "--db", url)
    assert f"revision {head_revision()} (needs {head_revision()}; current)" in p.stdout


def test_bad_waiver_file_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "w.toml"
    bad.write_text('[[waiver]]\nid = "W-1"\nrule = "DQ-003"\nserial = "S1"\n')
    p = auditor("waivers", "lint", str(bad), "--no-match-check", "--as-of", "2025-06-18")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    for key in ("justification", "approver", "created", "expires"):
        assert f"{bad}:1: waiver 'W-1': missing required key '{key}'" in p.stderr


def test_diff_of_unknown_runs_exit_2(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert auditor("db", "upgrade", "--db", url).returncode == 0
    p = auditor("diff", "1", "2", "--db", url)
    assert p.returncode == 2
    assert p.stderr.strip() == "auditor: error: no run with id 1"
