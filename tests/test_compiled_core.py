"""The screening core as installed: compiled to C by mypyc when the wheel is built
(pyproject.toml, [tool.hatch.build.targets.wheel.hooks.mypyc]). The rest of the suite tests
the source; this test runs the screening tests again on a copy of the repository whose
screening modules are the installed, compiled ones, so that what `pip install .` ships is
held to the same behaviour, byte for byte where the tests compare bytes (golden reports,
the stored index screening exactly like the built one)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPILED = ("tokens", "normalize", "match", "screener")
SUITES = ["tests/screening", "tests/test_golden.py", "tests/test_screening_parties.py",
          "tests/test_rejected_screening.py"]


def _installed_screener(tmp_path: Path) -> Path:
    """Where the installed package's screener module is (run from outside the repository,
    whose source would otherwise be imported)."""
    probe = subprocess.run([sys.executable, "-c", "import auditor.screening.screener as s; print(s.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})
    assert probe.returncode == 0, probe.stderr
    return Path(probe.stdout.strip())


def test_the_installed_compiled_core_passes_the_screening_tests(tmp_path: Path) -> None:
    screener = _installed_screener(tmp_path)
    if screener.suffix != ".so":
        if os.environ.get("CI") == "true":
            pytest.fail(f"the installed screening core is not compiled ({screener}): the wheel's mypyc hook did not run")
        pytest.skip(f"the installed screening core is plain Python ({screener}); `pip install .` compiles it")
    package = screener.parent
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist", "report", "*.so"))
    for name in COMPILED:
        (built,) = package.glob(f"{name}.*.so")
        shutil.copy2(built, copy / "auditor" / "screening" / built.name)
    # mypyc's shared runtime for the compiled group, at the top of site-packages
    for runtime in package.parents[1].glob("*__mypyc.*.so"):
        shutil.copy2(runtime, copy / runtime.name)
    env = {**os.environ, "PYTHONPATH": ""}
    check = subprocess.run(
        [sys.executable, "-c", "import auditor.screening.screener as s, auditor.screening.match as m; "
                               "assert s.__file__.endswith('.so') and m.__file__.endswith('.so'), (s.__file__, m.__file__)"],
        cwd=copy, capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stderr
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SUITES],
                         cwd=copy, capture_output=True, text=True, env=env, timeout=3000)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
