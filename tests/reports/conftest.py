"""Fixtures for the report tests: real audits through the CLI, written to temporary directories."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import read_report

from tests.conftest import run_cli  # noqa: F401  (re-exported to the report tests)

REPO = Path(__file__).resolve().parents[2]
# A fixed rule set, so that hand-counted expectations do not move when rule packs grow.
RULES = [REPO / "rules" / "data_quality", REPO / "rules" / "origin" / "ORIG-001.toml",
         REPO / "rules" / "origin" / "ORIG-002.toml"]
AS_OF = "2026-11-26"

# A small inventory whose findings are counted by hand (rules/data_quality, rules/origin):
#   ORIG-001 (medium): CN/HK rows at lines 2, 3, 5, 6, 7, 8, 13, 14        -> 8
#   DQ-002  (high):    serial R001 at lines 2, 10; the <img> serial at 7, 12 -> 4
#   DQ-003  (low):     MAC "zz:zz" at line 9                                -> 1
#   DQ-006  (low):     supplier "=HYPERLINK…" at line 11, site "@SUM…" at 14 -> 2
# Findings per site: Alpha 3, Beta 4, Gamma 3, and one each for the three hostile site names,
# two for "@SUM(1+1)". Several fields carry markup that must never execute in the page.
HOSTILE_CSV = (
    "serial,manufacturer,model,assembly_country,site,mac,supplier\n"
    "R001,Bitmain,Antminer S21,CN,Alpha,02:00:00:00:00:01,Acme Ltd\n"                                # 2
    "R002,Bitmain,Antminer S21,CN,Alpha,02:00:00:00:00:02,Acme Ltd\n"                                # 3
    "R003,Bitmain,Antminer S21,MY,Alpha,02:00:00:00:00:03,Acme Ltd\n"                                # 4
    "R004,Bitmain,Antminer S21,HK,Beta,02:00:00:00:00:04,Acme Ltd\n"                                 # 5
    'R005,Bitmain,Antminer S21,CN,"<img src=x onerror=""window.__pwned=1"">",02:00:00:00:00:05,Acme Ltd\n'  # 6
    "<img src=x onerror=window.__pwned=2>,Bitmain,Antminer S21,CN,Gamma,02:00:00:00:00:06,Acme Ltd\n"  # 7
    "R007,Bitmain,Antminer S21,CN,</script><script>window.__pwned=3</script><!--,02:00:00:00:00:07,Acme Ltd\n"  # 8
    "R008,Bitmain,Antminer S21,MY,Beta,zz:zz,Acme Ltd\n"                                             # 9
    "R001,Bitmain,Antminer S21,MY,Beta,02:00:00:00:00:09,Acme Ltd\n"                                 # 10
    'R010,Bitmain,Antminer S21,MY,Beta,02:00:00:00:00:10,"=HYPERLINK(""http://127.0.0.1/x"",""y"")"\n'  # 11
    "<img src=x onerror=window.__pwned=2>,Bitmain,Antminer S21,MY,Gamma,02:00:00:00:00:11,Acme Ltd\n"  # 12
    "R012,Bitmain,Antminer S21,CN,\"'; window.__pwned=4; //\",02:00:00:00:00:12,Acme Ltd\n"          # 13
    "-2+3,Bitmain,Antminer S21,CN,@SUM(1+1),02:00:00:00:00:14,Acme Ltd\n"                            # 14
)
HOSTILE_COUNTS = {"critical": 0, "high": 4, "medium": 8, "low": 3, "info": 0}
HOSTILE_TOTAL = 15


def audit(inventory: Path, out: Path, formats: str = "html,pdf,json,csv", *, rules=RULES, org: str | None = None) -> Path:
    args = ["audit", str(inventory), "--out", str(out), "--as-of", AS_OF, "--format", formats, "-q"]
    for r in rules:
        args += ["--rules", str(r)]
    if org:
        args += ["--org", org]
    code = run_cli(*args, in_process=True).returncode
    assert code in (0, 1), f"audit exited {code}"
    return out


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    inv = d / "hostile.csv"
    inv.write_text(HOSTILE_CSV, encoding="utf-8")
    return audit(inv, d / "out", org="Hostile <b>Test</b> Org")


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sample")
    shutil.copy(REPO / "sample_inventory.csv", d / "sample_inventory.csv")
    return audit(d / "sample_inventory.csv", d / "out", org="Example Mining Co.")


def report_json(out: Path) -> dict:
    return read_report(out)


def require_tool(name: str) -> str:
    """The real tool, as the project's convention: skip on a developer machine without it, fail in CI."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (apt-get install -y {'chromium' if name == 'chromium' else 'poppler-utils'})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)
    return path


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
