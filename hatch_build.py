"""Build hook: compile the screening core to C with mypyc when the wheel is built.

The four modules screening spends its time in (tokens, normalize, match, screener) are
type-checked strictly (pyproject.toml, [tool.mypy]); mypyc turns them into C extensions
that run the same code about a third faster (benchmarks/screening_speed.py --installed;
docs/SCREENING.md). The .py files stay in the wheel beside them.

Compiled in a temporary copy of the package, not in the checkout (hatch-mypyc compiles in
place and leaves the extensions beside the sources, where they would shadow every later
edit of a .py file). Where compiling fails — no C compiler, say — the wheel is plain
Python, with a warning: screening gives the same results, more slowly. AUDITOR_PURE_PYTHON=1
skips compiling. tests/test_compiled_core.py runs the screening tests on the compiled
modules; under CI=true it fails if the installed core is not compiled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED = ("auditor/screening/tokens.py", "auditor/screening/normalize.py", "auditor/screening/match.py",
            "auditor/screening/screener.py")
# mypy reads the modules they import for their types; the build environment has mypy, not
# the runtime dependencies (rapidfuzz, rigour), whose values are then Any, as mypyc treats
# them anyway. Errors in modules not compiled are not this build's business.
MYPY_ARGS = ("--ignore-missing-imports", "--follow-imports=silent")
SETUP = """\
from setuptools import setup
from mypyc.build import mypycify

setup(name="auditor-screening-core", packages=[], py_modules=[],
      ext_modules=mypycify([*{args!r}, *{files!r}], opt_level="3"))
"""


class MypycBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._workdir: str | None = None
        if self.target_name != "wheel" or version == "editable" or os.environ.get("AUDITOR_PURE_PYTHON") == "1":
            return
        workdir = Path(tempfile.mkdtemp(prefix="auditor-mypyc-"))
        self._workdir = str(workdir)
        shutil.copytree(Path(self.root) / "auditor", workdir / "auditor",
                        ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        (workdir / "setup_mypyc.py").write_text(SETUP.format(args=MYPY_ARGS, files=COMPILED), encoding="utf-8")
        build = subprocess.run([sys.executable, "setup_mypyc.py", "build_ext", "--inplace"], cwd=workdir,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # the extensions build_ext --inplace put beside the sources (its build/ holds copies)
        built = sorted(p for pattern in ("*.so", "*.pyd") for p in workdir.rglob(pattern)
                       if p.relative_to(workdir).parts[0] != "build")
        if build.returncode != 0 or len(built) < len(COMPILED):
            sys.stderr.write("auditor: compiling the screening core with mypyc failed; installing it as plain "
                             "Python (same results, slower):\n" + build.stdout[-3000:] + "\n")
            return
        for path in built:
            build_data["force_include"][str(path)] = str(path.relative_to(workdir))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
