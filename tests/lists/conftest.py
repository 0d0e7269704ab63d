"""Shared helpers for the list tests: fixture paths, the shared real files, a fresh store, the CLI."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli as shared_run_cli

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
def run_cli():
    """tests.conftest.run_cli in-process (these tests run many commands); unpacks as (code, out, err)."""
    return functools.partial(shared_run_cli, in_process=True)
