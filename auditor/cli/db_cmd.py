"""`auditor db`: create or migrate the audit-history database."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from auditor.cli.exits import fail
from auditor.store.db import driver_message

DB_HELP = "Database URL (SQLAlchemy form, e.g. postgresql+psycopg://user@host/db); default $AUDITOR_DB or a per-user SQLite file."


def open_for_reading(url: str | None):
    """An engine on a database at the current schema, or None when nothing was ever recorded.

    Reading commands never migrate a (possibly shared) database behind the user's back: a
    schema that is behind is refused with the command that fixes it.
    """
    import os

    from auditor.store.db import StoreError, current_revision, head_revision, open_engine, redact, sqlite_file

    explicit = bool(url or os.environ.get("AUDITOR_DB"))
    file = sqlite_file(url)
    if not explicit and file is not None and not file.exists():
        return None  # the per-user default database: nothing recorded yet, and nothing to create
    try:
        engine = open_engine(url, must_exist=True)
        current = current_revision(engine)
    except StoreError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"cannot read database {redact(str(engine.url))}: {driver_message(exc)}")
    if current is None:
        return None
    head = head_revision()
    if current != head:
        if not _known_revision(current):
            fail(f"database schema is at {current}, which this auditor does not know (written by a newer "
                 f"version?): upgrade auditor")
        fail(f"database schema is at {current}, this auditor needs {head}: run `auditor db upgrade`")
    return engine


def _known_revision(rev: str) -> bool:
    from alembic.script import ScriptDirectory

    from auditor.store.db import _alembic_config

    try:
        return ScriptDirectory.from_config(_alembic_config(None)).get_revision(rev) is not None
    except Exception:  # alembic raises for unknown ids
        return False


@click.group()
def db() -> None:
    """Create or migrate the audit-history database."""


@db.command()
@click.option("--db", "url", metavar="URL", help=DB_HELP)
def upgrade(url: str | None) -> None:
    """Apply every pending schema migration (safe to run again)."""
    from auditor.store.db import StoreError, current_revision, open_engine, redact
    from auditor.store.db import upgrade as do_upgrade

    try:
        engine = open_engine(url)
        before = current_revision(engine)
        do_upgrade(engine)
        after = current_revision(engine)
    except StoreError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"cannot use database {redact(str(engine.url))}: {driver_message(exc)}")
    where = redact(str(engine.url))
    if before == after:
        click.echo(f"{where}: already at revision {after}")
    else:
        click.echo(f"{where}: upgraded from {before or 'empty'} to {after}")


@db.command()
@click.option("--db", "url", metavar="URL", help=DB_HELP)
def current(url: str | None) -> None:
    """Show the database's schema revision and the one this auditor needs."""
    import os

    from auditor.store.db import StoreError, current_revision, head_revision, open_engine, redact, sqlite_file

    explicit = bool(url or os.environ.get("AUDITOR_DB"))
    file = sqlite_file(url)
    if not explicit and file is not None and not file.exists():
        return None  # the per-user default database: nothing recorded yet, and nothing to create
    try:
        engine = open_engine(url, must_exist=True)
        rev = current_revision(engine)
    except StoreError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"cannot read database {redact(str(engine.url))}: {driver_message(exc)}")
    head = head_revision()
    state = "current" if rev == head else "behind: run `auditor db upgrade`"
    click.echo(f"{redact(str(engine.url))}: revision {rev or 'empty'} (needs {head}; {state})")
