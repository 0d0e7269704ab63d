"""Two audits started together on a brand-new database both complete.

A SQLite file is created by the audits themselves (the schema is created once); a server is
prepared by `auditor db upgrade` first, as the database policy requires (test_db_policy.py),
and the two audits then record at the same moment.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import read_report

from auditor.store.db import current_revision, head_revision, open_engine
from auditor.store.runs import list_runs
from tests.conftest import REPO, run_cli


def test_two_audits_on_a_fresh_database_both_complete(db_url, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if not db_url.startswith("sqlite"):
        up = run_cli("db", "upgrade", "--db", db_url)
        assert up.returncode == 0, up.stderr
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "auditor", "audit", str(REPO / "sample_inventory.csv"), "--as-of", "2026-11-26",
             "--db", db_url, "--out", str(tmp_path / f"out{i}"), "--format", "json", "-q"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i in range(2)
    ]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    for _out, err, code in results:
        assert code == 1, err  # the sample has high findings: exit 1, not an error
        assert "error" not in err
    engine = open_engine(db_url)
    assert current_revision(engine) == head_revision()
    runs = list_runs(engine)
    assert len(runs) == 2
    for i in range(2):
        assert read_report(tmp_path / f"out{i}")["status"] == "complete"
