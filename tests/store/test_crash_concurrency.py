"""A recording killed with SIGKILL mid-write leaves no partial run; two recordings at once both land.

Both tests drive real subprocesses (tests/store/record_worker.py) and synchronise on lines
they print from inside the open transaction — never on timing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, text

from auditor.store.runs import BATCH, Run, RunAsset, RunFinding, RunGroup, list_runs, record_run
from tests.store.factory import big_result

ROOT = Path(__file__).resolve().parents[2]
N = 3 * BATCH  # several batches, so the pause falls strictly inside the write


def spawn(url: str, n: int, mode: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.record_worker", url, str(n), mode],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def expect_line(proc: subprocess.Popen, wanted: str) -> None:
    line = proc.stdout.readline().strip()
    if line != wanted:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"worker said {line!r}, expected {wanted!r}; stderr:\n{err}")


def counts(engine) -> tuple[int, int, int, int]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t.__table__)).scalar()
            for t in (Run, RunGroup, RunFinding, RunAsset)
        )


def test_sigkill_mid_write_leaves_no_partial_run(engine, db_url):
    from datetime import datetime, timezone

    t = datetime(2025, 6, 18, tzinfo=timezone.utc)
    kept = record_run(engine, big_result(10), t, t)
    before = counts(engine)
    assert before == (1, 1, 10, 10)

    proc = spawn(db_url, N, "pause")
    expect_line(proc, "started")
    expect_line(proc, "writing")  # the worker is inside its transaction, a batch already sent
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    engine.dispose()  # fresh connections, as a new process would open
    assert counts(engine) == before
    assert [r.id for r in list_runs(engine)] == [kept]
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # Still writable: no lock or half-written state left behind.
    again = record_run(engine, big_result(7), t, t)
    assert counts(engine) == (2, 2, 17, 17)
    assert again > kept


def test_two_recordings_at_once_both_complete(engine, db_url):
    first = spawn(db_url, N, "pause")
    expect_line(first, "started")
    expect_line(first, "writing")  # first holds an open write transaction now
    second = spawn(db_url, N + 1, "go")
    expect_line(second, "started")  # second is recording while first's transaction is open
    first.stdin.write("\n")
    first.stdin.flush()
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    ids = sorted(int(out.split()[-1]) for out in (out1, out2))
    runs = list_runs(engine)
    assert sorted(r.id for r in runs) == ids
    assert sorted(r.findings for r in runs) == [N, N + 1]
    assert all(r.status == "complete" for r in runs)
    assert counts(engine) == (2, 2, 2 * N + 1, 2 * N + 1)
