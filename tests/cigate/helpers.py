"""Shared helpers for the CI-gate tests: the real CLI in a subprocess, fixtures, shared data."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from tests.conftest import require, run_cli, shared_dir  # noqa: F401  (run_cli: re-exported)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROCUREMENT = FIXTURES / "procurement.csv"
AS_OF = "2026-11-26"
AS_OF_DATE = date(2026, 11, 26)
# The rule packs present in every checkout of this branch (the bundled pack also screens
# against entity lists, which needs the list store).
RULE_ARGS = ["--rules", str(REPO / "rules" / "data_quality"), "--rules", str(REPO / "rules" / "origin")]

# The one bad line of procurement.csv (physical line 5): a China assembly claim (ORIG-001).
BAD_LINE_NO = 5
BAD_LINE = "PO-2026-0142,4,Harbor Hash Trading Ltd,Bitmain,Antminer S21,20,3100.00,HK,CN,2027-01-20,8543.70.9960"
FIXED_LINE = "PO-2026-0142,4,Harbor Hash Trading Ltd,Bitmain,Antminer S21,20,3100.00,HK,MY,2027-01-20,8543.70.9960"


def sarif_schema_path() -> Path:
    """The official SARIF 2.1.0 schema (skips locally, fails under CI=true when missing)."""
    base = shared_dir()
    path = base / "data" / "schemas" / "sarif-schema-2.1.0.json" if base else None
    require(path is not None and path.is_file(),
            "SARIF 2.1.0 schema not found (set AUDITOR_SHARED_DIR to the shared/ directory)")
    assert path is not None
    return path


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("AUDITOR_DEBUG", None)
    env.update(extra)
    return env


def write_shim(bin_dir: Path) -> Path:
    """An `auditor` executable on PATH that runs this checkout (what `pip install` would provide)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "auditor"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "from auditor.cli import main; main()" "$@"\n')
    shim.chmod(0o755)
    return shim


def procurement_copy(dest: Path, fixed: bool = False) -> Path:
    text = PROCUREMENT.read_text(encoding="utf-8")
    assert text.splitlines()[BAD_LINE_NO - 1] == BAD_LINE  # the fixture is what the tests think it is
    if fixed:
        text = text.replace(BAD_LINE, FIXED_LINE)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    return dest


def audit_result(path: Path | str, rule_dirs=None, as_of=AS_OF_DATE):
    """An AuditResult through the library (for format tests that decorate it with waivers/baselines)."""
    from auditor.audit import AuditOptions, run_audit

    dirs = rule_dirs if rule_dirs is not None else [REPO / "rules" / "data_quality", REPO / "rules" / "origin"]
    return run_audit(AuditOptions(inventories=[str(path)], as_of=as_of, rule_dirs=list(dirs)))


def rule_ids() -> list[str]:
    """Ids of the rules in RULE_ARGS' packs (computed from the files, so new rules need no edit)."""
    return sorted(p.stem for d in RULE_ARGS[1::2] for p in Path(d).glob("*.toml"))


def orig001(result):
    """The one ORIG-001 finding of the procurement fixture (other rules may add info notes)."""
    (finding,) = [f for f in result.iter_findings() if f.rule_id == "ORIG-001"]
    return finding


def gating(results: list[dict]) -> list[dict]:
    """SARIF results at warning or error level (what the medium gate fails on)."""
    return [r for r in results if r["level"] in ("error", "warning")]
