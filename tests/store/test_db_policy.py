"""One database policy: a shared server is migrated only by `auditor db upgrade`; a SQLite file
upgrades itself; a missing driver names the extra that installs it."""

from __future__ import annotations

from sqlalchemy import text

from auditor.store.db import current_revision, head_revision, open_engine
from tests.conftest import REPO, run_cli

SAMPLE = str(REPO / "sample_inventory.csv")


def _audit(db: str, out, *extra: str):
    return run_cli("audit", SAMPLE, "--as-of", "2026-11-26", "--bundled-lists-only", "--format", "json",
                   "--out", out, "--db", db, "-q", *extra)


def test_audit_refuses_a_server_behind_until_db_upgrade(pg_url, tmp_path):
    proc = _audit(pg_url, tmp_path / "a")
    assert proc.returncode == 2, proc.stderr
    assert "auditor db upgrade" in proc.stderr and "Traceback" not in proc.stderr
    engine = open_engine(pg_url)
    assert current_revision(engine) is None  # nothing was created behind the team's back
    up = run_cli("db", "upgrade", "--db", pg_url)
    assert up.returncode == 0, up.stderr
    proc = _audit(pg_url, tmp_path / "b")
    assert proc.returncode == 1, proc.stderr  # the sample has high findings
    assert "recorded as run" not in proc.stderr  # -q
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM runs")).scalar_one() == 1
    engine.dispose()


def test_plain_postgresql_url_uses_psycopg3(pg_url):
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    assert plain != pg_url
    up = run_cli("db", "upgrade", "--db", plain)
    assert up.returncode == 0, up.stderr
    assert run_cli("history", "--db", plain).returncode == 0


def test_missing_driver_names_the_extra(tmp_path):
    # The driver made unimportable, as on an installation without the extra.
    proc = run_cli("history", "--db", "postgresql://auditor@127.0.0.1:9/none",
                   prelude="import sys; sys.modules['psycopg'] = None")
    assert proc.returncode == 2
    assert "pip install 'auditor[postgres]'" in proc.stderr and "Traceback" not in proc.stderr


def test_sqlite_file_upgrades_itself(tmp_path):
    db = f"sqlite:///{tmp_path / 'mine.db'}"
    proc = _audit(db, tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    assert current_revision(open_engine(db)) == head_revision()


def test_the_head_commands_check_is_alembics_head(tmp_path):
    """Commands compare the store with db.HEAD_REVISION instead of loading the migration
    scripts: it must be the newest migration, and a store upgraded to it reads back as it."""
    from auditor.store.db import HEAD_REVISION, upgrade

    assert HEAD_REVISION == head_revision()
    engine = open_engine(f"sqlite:///{tmp_path}/h.db")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
