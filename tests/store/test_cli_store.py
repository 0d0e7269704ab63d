"""`auditor db upgrade`, `auditor history`, and refusing a database whose schema is behind."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from click.testing import CliRunner

from auditor.cli import cli
from auditor.store.db import _alembic_config, current_revision, head_revision, open_engine
from auditor.store.runs import record_run
from tests.store.test_diff import audit_a, audit_b

T0 = datetime(2025, 6, 18, 8, 0, tzinfo=timezone.utc)
T1 = datetime(2025, 6, 18, 8, 1, 30, tzinfo=timezone.utc)


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_upgrade_then_history(db_url):
    res = run("history", "--db", db_url)
    if db_url.startswith("sqlite"):  # a missing file is a typo, not an empty history (nothing is created)
        assert res.exit_code == 2 and "no database at" in res.output
        assert not Path(db_url[len("sqlite:///"):]).exists()
    else:  # an existing database with nothing recorded yet
        assert res.exit_code == 0 and res.output == "no audit runs recorded\n"

    res = run("db", "upgrade", "--db", db_url)
    assert res.exit_code == 0, res.output
    assert f"upgraded from empty to {head_revision()}" in res.output
    res = run("db", "upgrade", "--db", db_url)
    assert f"already at revision {head_revision()}" in res.output

    engine = open_engine(db_url)
    a = record_run(engine, audit_a(), T0, T1)
    b = record_run(engine, audit_b(), T0, T1)
    res = run("history", "--db", db_url, "--json")
    assert res.exit_code == 0, res.output
    runs = json.loads(res.output)["runs"]
    assert [r["id"] for r in runs] == [b, a]
    assert runs[0]["as_of"] == "2025-06-18" and runs[1]["as_of"] == "2025-06-01"
    assert runs[0]["findings"] == 6 and runs[0]["assets"] == 6
    assert runs[1]["finished_at"] == "2025-06-18T08:01:30+00:00"

    res = run("history", "--db", db_url)
    lines = res.output.splitlines()
    assert lines[0].split() == ["run", "as", "of", "finished", "(UTC)", "status", "assets", "findings", "open",
                                "waived", "inputs"]
    assert lines[1].split()[:8] == [str(b), "2025-06-18", "2025-06-18", "08:01:30", "complete", "6", "6", "6"]
    assert len(lines) == 3
    res = run("history", "--db", db_url, "--limit", "1")
    assert len(res.output.splitlines()) == 2 and res.output.splitlines()[1].split()[0] == str(b)
    engine.dispose()


def test_schema_behind_is_refused_until_upgrade(db_url):
    engine = open_engine(db_url)
    command.upgrade(_alembic_config(engine), "0000_base")  # an old database
    assert current_revision(engine) == "0000_base"
    res = run("history", "--db", db_url)
    assert res.exit_code == 2
    assert "database schema is at 0000_base" in res.output and "auditor db upgrade" in res.output
    res = run("db", "upgrade", "--db", db_url)
    assert res.exit_code == 0 and "upgraded from 0000_base" in res.output
    assert run("history", "--db", db_url).exit_code == 0
    engine.dispose()


def test_unreachable_database_is_a_clear_error():
    # A PostgreSQL URL on a port nothing listens on (127.0.0.1 only): exit 2, no traceback.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = run("history", "--db", f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/x")
    assert res.exit_code == 2
    assert "cannot read database postgresql+psycopg://nobody:***@127.0.0.1" in res.output
    assert "secret" not in res.output and "Traceback" not in res.output


def test_schema_from_a_newer_auditor_is_refused(db_url):
    from sqlalchemy import text

    engine = open_engine(db_url)
    command.upgrade(_alembic_config(engine), "head")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    res = run("history", "--db", db_url)
    assert res.exit_code == 2
    assert "database schema is at 0099_future, which this auditor does not know" in res.output
    engine.dispose()
