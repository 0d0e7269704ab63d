"""Opening the store: URL resolution, engine settings, schema migrations.

SQLite file by default (under the user's data directory), any SQLAlchemy URL through
`--db` or `AUDITOR_DB`. Every schema change goes through Alembic.

The schema policy, in one place:
- a database server (PostgreSQL, shared by a team) changes schema only through an explicit
  `auditor db upgrade` (`upgrade()`); every other command that finds it behind says so and
  exits 2 (`require_current()`), so nobody migrates a team's database as a side effect;
- a SQLite file (the per-user default, or a file given with --db) belongs to whoever runs
  auditor: commands create or upgrade it themselves (`prepare_schema()`).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """A database that cannot be opened or is at the wrong schema version (exit 2)."""


def default_url() -> str:
    from platformdirs import user_data_dir

    path = Path(user_data_dir("auditor", appauthor=False)) / "auditor.db"
    return f"sqlite:///{path}"


def resolve_url(url: str | None) -> str:
    """`--db` wins, then AUDITOR_DB, then the per-user SQLite file."""
    return url or os.environ.get("AUDITOR_DB") or default_url()


# Database drivers auditor knows, by SQLAlchemy dialect: the module and the extra that installs it.
DRIVERS = {"postgresql": ("psycopg", "postgres")}


def _normalise(url: str) -> str:
    """`postgresql://` means psycopg 3 (the driver of the `postgres` extra), not SQLAlchemy's psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def sqlite_file(url: str | None) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    url = resolve_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///"):].split("?", 1)[0]).expanduser()
    return None


def open_engine(url: str | None = None, *, must_exist: bool = False) -> Engine:
    """An engine on `url`; with `must_exist`, a SQLite file that does not exist is an error
    (reading commands must not create an empty database from a typo)."""
    defaulted = not (url or os.environ.get("AUDITOR_DB"))
    url = _normalise(resolve_url(url))
    file = sqlite_file(url)
    if file is not None:
        folder = file.parent
        if defaulted:
            folder.mkdir(parents=True, exist_ok=True)  # the per-user data directory
        elif not folder.is_dir():
            # A typo in a shared database's path must not silently start an empty history.
            raise StoreError(f"cannot open database {redact(url)}: directory {folder} does not exist")
        if must_exist and not file.exists():
            raise StoreError(f"no database at {file} (nothing was recorded there; check the --db URL or AUDITOR_DB)")
    try:
        engine = create_engine(url, future=True)
    except ModuleNotFoundError as exc:
        raise StoreError(f"cannot open database {redact(url)}: {_missing_driver(url, exc)}") from None
    except Exception as exc:  # bad URL
        raise StoreError(f"cannot open database {redact(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        # WAL lets readers and one writer work at once; busy_timeout makes a second writer wait
        # instead of failing with "database is locked".
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            # busy_timeout first: switching to WAL needs a lock another process may hold.
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


def _missing_driver(url: str, exc: ModuleNotFoundError) -> str:
    dialect = url.split(":", 1)[0].split("+", 1)[0]
    known = DRIVERS.get(dialect)
    if known is not None:
        module, extra = known
        return f"the {module} driver is not installed: pip install 'auditor[{extra}]'"
    return f"its database driver is not installed ({exc})"


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


def _alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


# The newest migration (auditor/store/migrations/versions). Every command that opens the store
# checks the schema against it; reading it from the migration scripts meant importing and running
# Alembic's script loader, 0.2 s of each command. tests/store checks that it is Alembic's head.
HEAD_REVISION = "0003_list_checked"


def head_revision() -> str:
    """Alembic's head, read from the migration scripts (HEAD_REVISION is what commands check)."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None, "the package ships its migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision Alembic recorded in the store (None: an empty database).

    Read with one query from Alembic's own table (linear history: one row), as Alembic's
    MigrationContext.get_current_revision reads it, without importing Alembic's runtime."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        versions = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    if len(versions) > 1:
        raise StoreError(f"database {redact(str(engine.url))} records several schema heads: {', '.join(versions)}")
    return versions[0] if versions else None


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (idempotent, safe when several processes start at once)."""
    with _migration_lock(engine):
        _upgrade_locked(engine)


def _upgrade_locked(engine: Engine) -> None:
    from alembic import command

    try:
        command.upgrade(_alembic_config(engine), "head")
    except Exception as exc:
        raise StoreError(f"cannot migrate database {redact(str(engine.url))}: {driver_message(exc)}") from None


def driver_message(exc: Exception) -> str:
    """A driver error without SQLAlchemy's statement dump and documentation link."""
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


@contextmanager
def _migration_lock(engine: Engine):
    """Serialise schema migrations between processes.

    SQLite runs DDL outside transactions, so two processes could both see an empty file and
    both create the tables: an exclusive lock on a side file serialises them. PostgreSQL takes
    an advisory lock inside the migration transaction instead (migrations/env.py).
    """
    db = engine.url.database if engine.dialect.name == "sqlite" else None
    if not db or db == ":memory:":
        yield
        return
    import fcntl

    try:
        lock = open(f"{db}.migrate-lock", "a")
    except OSError as exc:  # a read-only file system or directory: say so instead of an internal error
        raise StoreError(f"cannot lock database {redact(str(engine.url))} ({db}.migrate-lock): "
                         f"{exc.strerror or exc}; the database's directory must be writable") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def self_managed(engine: Engine) -> bool:
    """True for a SQLite file: its user's own, so auditor may create and upgrade its schema."""
    return engine.dialect.name == "sqlite"


def prepare_schema(engine: Engine) -> None:
    """Before using the store: upgrade a SQLite file to head; require a server to be at head."""
    require_current(engine, upgrade_if_self_managed=True)


def require_current(engine: Engine, upgrade_if_self_managed: bool = False) -> None:
    """Refuse (StoreError, exit 2) a schema that is not at head, naming `auditor db upgrade`.

    With `upgrade_if_self_managed`, a SQLite file is brought to head instead (prepare_schema).
    The check and the upgrade happen under the migration lock: on a new SQLite file a second
    process must not read (or switch the journal mode) while the first creates the schema.
    """
    with _migration_lock(engine):
        try:
            current = current_revision(engine)
        except Exception as exc:
            raise StoreError(f"cannot read database {redact(str(engine.url))}: {driver_message(exc)}") from None
        head = HEAD_REVISION
        if current == head:
            return
        if upgrade_if_self_managed and self_managed(engine):
            _upgrade_locked(engine)
            return
    raise StoreError(
        f"database {redact(str(engine.url))} has schema {current or 'none'}, this auditor needs {head}: "
        "run `auditor db upgrade` (a shared server is migrated only by that command)"
    )
