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


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    """Run the real `auditor` CLI in a subprocess (exit codes and stderr as a user sees them)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        input=input,
        timeout=600,
    )


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
