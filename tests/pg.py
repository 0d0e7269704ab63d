"""A real PostgreSQL server for the tests: initdb + pg_ctl on a temporary directory.

Session-scoped: one server (on 127.0.0.1, a free port, trust authentication) for the whole
run, stopped and deleted at the end; `pg_url` gives each test its own fresh database.
PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
(`runuser -u postgres --`). initdb is not on PATH on Debian; it sits beside pg_ctl's real path.

Without PostgreSQL binaries the PostgreSQL cases are skipped with the reason — unless CI=true
(as .ci/run sets) or AUDITOR_REQUIRE_PG=1, where a missing server is a failure, never a skip.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

_counter = itertools.count(1)


def _required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("AUDITOR_REQUIRE_PG") == "1"


def _missing(reason: str):
    if _required():
        pytest.fail(f"PostgreSQL required (CI=true or AUDITOR_REQUIRE_PG=1) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path, root: Path, as_user: list[str]):
        self.bindir, self.root, self.as_user = bindir, root, as_user
        self.data = root / "data"
        self.port = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        r = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--no-sync", "--no-instructions")
        if r.returncode != 0:
            raise RuntimeError(f"initdb failed: {r.stderr or r.stdout}")
        # A free port can be taken between probing and binding: try a few.
        for _ in range(5):
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                    f"-c max_connections=50")
            r = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                          "-o", opts, "-w", "-t", "60", "start")
            if r.returncode == 0:
                return
        log = (self.root / "log").read_text(errors="replace") if (self.root / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {r.stderr or r.stdout}\n{log[-2000:]}")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(_counter)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def pg_server():
    pg_ctl = shutil.which("pg_ctl")
    if not pg_ctl:
        # Debian keeps the server binaries off PATH: take the newest installed version.
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
                       if p.parts[-3].isdigit() else 0)
        if not found:
            _missing("pg_ctl is neither on PATH nor under /usr/lib/postgresql/*/bin")
        pg_ctl = str(found[-1])
    bindir = Path(os.path.realpath(pg_ctl)).parent
    if not (bindir / "initdb").exists():
        _missing(f"no initdb beside {bindir / 'pg_ctl'}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed")
    root = Path(tempfile.mkdtemp(prefix="auditor-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
        root.chmod(0o700)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PgServer(bindir, root, as_user)
    try:
        server.start()
    except Exception as exc:
        shutil.rmtree(root, ignore_errors=True)
        if _required():
            raise
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server) -> str:
    """A SQLAlchemy URL of a fresh, empty database on the test server."""
    return pg_server.url(pg_server.create_database())
