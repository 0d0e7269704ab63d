"""Shared test helpers.

Tests that need a real external tool (Chromium, poppler, PostgreSQL) skip with a reason
when it is missing on a developer's machine, and FAIL under CI=true, so CI can never go
green by skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parents[1]

# A real PostgreSQL server for the store tests (tests/pg.py).
pytest_plugins = ["tests.pg"]


def shared_dir() -> Path | None:
    """../shared (lists, schemas): AUDITOR_SHARED_DIR, beside the repository, or /work/shared."""
    for candidate in (os.environ.get("AUDITOR_SHARED_DIR"), REPO.parent / "shared", Path("/work/shared")):
        if candidate and Path(candidate, "data").is_dir():
            return Path(candidate)
    return None


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: a missing real component must never make CI look green."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed")
    return path


def shared_lists() -> Path:
    d = shared_dir()
    require(d is not None and (d / "data" / "lists").is_dir(), "../shared/data/lists is not available")
    return d / "data" / "lists"


class CliRun(NamedTuple):
    """What a user sees of one command; unpacks as (code, out, err)."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None,
            prelude: str = "", in_process: bool = False) -> CliRun:
    """Run `auditor ARGS`: the one way tests run the command line.

    By default in a fresh interpreter, so exit codes, stderr and start-up are exactly what a user
    gets; `prelude` is Python run before the CLI (to inject a crash). `in_process=True` calls
    the CLI's main() here instead: for tests that monkeypatch auditor, or run many commands.
    `env` adds to (or, with a value of None, removes from) the environment. The arguments may
    also be given as one list.
    """
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    argv = [str(a) for a in args]
    if in_process:
        assert not prelude, "a prelude needs a fresh interpreter"
        return _run_in_process(argv, cwd, env, input)
    full_env = {**os.environ, "PYTHONPATH": str(REPO)}
    full_env.pop("AUDITOR_DEBUG", None)  # tracebacks only when a test asks for them
    for key, value in (env or {}).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    proc = subprocess.run(
        [sys.executable, "-c", prelude + "\nfrom auditor.cli import main; main()", *argv],
        cwd=cwd or REPO, env=full_env, capture_output=True, text=True, input=input, timeout=600,
    )
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


def _run_in_process(argv: list[str], cwd: Path | None, env: dict[str, str] | None, input: str | None) -> CliRun:
    from click.testing import CliRunner

    from auditor.cli import main

    here = os.getcwd()
    with CliRunner().isolation(input=input, env=env) as (out, err, _):
        try:
            if cwd is not None:
                os.chdir(cwd)
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        finally:
            os.chdir(here)
        return CliRun(code, out.getvalue().decode(), err.getvalue().decode())


def read_report(where: Path | str) -> dict:
    """report.json (a file, or the report folder holding one) with every finding made whole.

    Schema version 2 writes what findings share once (`groups`, `rules`); tests read a finding's
    message, evidence and references as a user's tool would: through auditor.report_json.
    """
    import json

    from auditor.report_json import findings

    path = Path(where)
    doc = json.loads((path / "report.json" if path.is_dir() else path).read_text(encoding="utf-8"))
    doc["findings"] = findings(doc)
    return doc


@pytest.fixture
def sample() -> Path:
    return REPO / "sample_inventory.csv"


@pytest.fixture
def isolated_db(tmp_path, monkeypatch) -> str:
    """A private SQLite store, so tests never touch the user's default database."""
    url = f"sqlite:///{tmp_path / 'auditor.db'}"
    monkeypatch.setenv("AUDITOR_DB", url)
    return url


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch) -> None:
    """Screening indexes of server databases go to the user cache directory: a private one
    per test, so tests never write to the real one (beside SQLite files they stay in tmp)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session", autouse=True)
def _every_report_json_matches_the_shipped_schema(tmp_path_factory):
    """After the session, every report.json (schema version 2) any test wrote is validated
    against the schema shipped in the package: the contract holds for every case we test."""
    yield
    import json

    from auditor.report_json import schema_errors

    problems = []
    for path in sorted(tmp_path_factory.getbasetemp().rglob("report.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # tampered or partial on purpose (signing and hostile-output tests)
        tool = doc.get("tool") if isinstance(doc, dict) else None
        # Reports auditor wrote, not the malformed ones tests write by hand.
        if isinstance(tool, dict) and tool.get("name") == "auditor" and doc.get("schema_version") == "2":
            problems += [f"{path}: {e}" for e in schema_errors(doc, limit=5)]
    if problems:
        pytest.fail("report.json files that do not match auditor/schemas/report.schema.json:\n" + "\n".join(problems[:50]))

