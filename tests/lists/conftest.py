"""Shared helpers for the list tests: fixture paths, the shared real files, a fresh store, the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).with_name("fixtures")
REPO = Path(__file__).resolve().parents[2]


def shared_lists_dir() -> Path | None:
    """AUDITOR_SHARED_DIR, else <repo>/../shared, else /work/shared (PREAMBLE convention)."""
    candidates = []
    if os.environ.get("AUDITOR_SHARED_DIR"):
        candidates.append(Path(os.environ["AUDITOR_SHARED_DIR"]))
    candidates += [REPO.parent / "shared", Path("/work/shared")]
    for base in candidates:
        if (base / "data" / "lists").is_dir():
            return base / "data" / "lists"
    return None


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI (as tests/conftest.py does): CI must never go green by skipping."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared_lists() -> Path:
    found = shared_lists_dir()
    if found is None:
        _unavailable("shared list files (../shared/data/lists) are not available on this machine")
    return found


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def run_cli(capsys):
    """Run `auditor ARGS…` in-process; return (exit code, stdout, stderr)."""
    from auditor.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in args])
        out, err = capsys.readouterr()
        return exc.value.code, out, err

    return run


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL (Debian's 15) started for this test session on 127.0.0.1."""
    import os
    import shutil
    import subprocess

    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        _unavailable("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    import tempfile
    from pathlib import Path as _Path

    # Not under pytest's tmp dir: that one is private to root, and the server runs as postgres.
    base = _Path(tempfile.mkdtemp(prefix="auditor-pg-"))
    data = base / "data"
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb and pg_ctl refuse to run as root
        if not shutil.which("runuser"):
            _unavailable("running as root without runuser: cannot start PostgreSQL")
        shutil.chown(base, "postgres")
        os.chmod(base, 0o700)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*as_postgres, *cmd], check=True, capture_output=True, timeout=120)

    try:
        run(initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        run(pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-o",
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"cannot start PostgreSQL: {exc.stderr.decode(errors='replace')[-300:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)
