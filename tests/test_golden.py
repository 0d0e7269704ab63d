"""The sample fleet's report.json at a fixed as-of date, byte for byte.

tests/golden/sample_report.json was reviewed by eye when it was created (every rule's findings
checked against the rows planted in sample_inventory.csv: the Sophgo-variant suppliers, the
BitRiver supplier, the US-assembly claims, the S9/L3+ stock firmware, the duplicate serial and
MAC, the malformed rows). When a rule or the format changes on purpose, regenerate it with
    AUDITOR_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff before committing it.
"""

from __future__ import annotations

import os

from conftest import REPO, run_cli

GOLDEN = REPO / "tests" / "golden" / "sample_report.json"


def test_sample_report_json_matches_the_reviewed_golden_file(tmp_path, isolated_db):
    out = tmp_path / "out"
    proc = run_cli("audit", "sample_inventory.csv", "--out", str(out), "--as-of", "2026-11-26",
                   "--format", "json", "--bundled-lists-only")
    assert proc.returncode == 1, proc.stderr
    produced = (out / "report.json").read_bytes()
    if os.environ.get("AUDITOR_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(produced)
    assert produced == GOLDEN.read_bytes(), "report.json differs from the reviewed golden file"
