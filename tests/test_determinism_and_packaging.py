"""Same inputs and --as-of give byte-identical reports; the wheel carries rules and templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO, run_cli

RULES = ["--rules", "rules/data_quality", "--rules", "rules/origin"]


def test_reports_are_byte_identical_across_hash_seeds(tmp_path, sample):
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out{seed}"
        proc = run_cli("audit", str(sample), "--out", str(out), "--as-of", "2026-11-26", "--format", "json,html",
                       *RULES, env={"PYTHONHASHSEED": seed})
        assert proc.returncode in (0, 1), proc.stderr
        outs.append(out)
    for name in ("report.json", "report.html"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_wheel_ships_rules_and_templates(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("auditor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "rules").rglob("*.toml"))
    for rf in rule_files:
        assert f"auditor/_data/{rf}" in names, rf
    assert "auditor/_data/templates/report.html.j2" in names
    assert any(n.startswith("auditor/store/migrations/versions/") for n in names)
