"""Lint and types are part of the suite, so CI (`.ci/run` runs this suite) fails on them.

Configuration lives in pyproject.toml ([tool.ruff], [tool.mypy]): ruff checks everything;
mypy is strict on the model, the run object, the gate, the engine and screening.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from tests.conftest import REPO, require


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    require(importlib.util.find_spec(module) is not None, f"{module} is not installed (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600)


def test_ruff_finds_nothing() -> None:
    proc = _run("ruff", "check", "--no-cache", "auditor", "tests", "benchmarks")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_modules_pass() -> None:
    proc = _run("mypy")  # files and strictness from pyproject.toml
    assert proc.returncode == 0, proc.stdout + proc.stderr
