"""The project config file: found in the working directory or given with --config, overridden
by flags, shown with its origins by `auditor config show`."""

from __future__ import annotations

import json
import shutil

from conftest import REPO, read_report, run_cli

OFFICER_CSV = ("Rig Tag;Rig Kind;Origin Country;Mfg Date\n"
               "T1;Antminer S21;CN;9/4/2024\nT2;Antminer S19;MY;3/4/2024\n")


def project(tmp_path, config: str, name: str = "auditor.toml"):
    (tmp_path / "fleet.csv").write_text(OFFICER_CSV)
    (tmp_path / "rules").mkdir()
    shutil.copytree(REPO / "rules" / "origin", tmp_path / "rules" / "origin")
    (tmp_path / name).write_text(config)
    return tmp_path


CONFIG = """\
format = ["json", "md"]
fail_on = "critical"
date_format = "DD/MM/YYYY"
rules = ["rules/origin"]
allow_missing = ["mac"]
out = "reports/latest"

[map]
"Rig Tag" = "serial"
"Rig Kind" = "model"
"Origin Country" = "assembly_country"
"""


def test_config_in_the_working_directory_is_used(tmp_path, isolated_db):
    d = project(tmp_path, CONFIG)
    proc = run_cli("audit", "fleet.csv", "--as-of", "2026-11-26", cwd=d)
    assert proc.returncode == 0, proc.stderr  # fail_on critical: the CN origin finding is medium
    doc = read_report(d / "reports" / "latest")
    assert (d / "reports" / "latest" / "report.md").is_file()
    assert doc["inputs"]["inventory"][0]["columns"] == ["serial", "model", "assembly_country", "manufacture_date"]
    assert [f["asset"]["serial"] for f in doc["findings"] if f["rule_id"] == "ORIG-001"] == ["T1"]
    assert {r["id"] for r in doc["inputs"]["rules"]} == {"ORIG-001", "ORIG-002", "ORIG-010", "ORIG-011"}


def test_flags_override_the_config(tmp_path, isolated_db):
    d = project(tmp_path, CONFIG)
    proc = run_cli("audit", "fleet.csv", "--as-of", "2026-11-26", "--fail-on", "medium", "--out", "o",
                   "--format", "json", cwd=d)
    assert proc.returncode == 1, proc.stderr
    assert (d / "o" / "report.json").is_file() and not (d / "o" / "report.md").exists()


def test_pyproject_tool_auditor_and_explicit_config(tmp_path, isolated_db):
    body = CONFIG.replace("[map]", "[tool.auditor.map]")
    d = project(tmp_path, "[project]\nname = 'x'\n\n[tool.auditor]\n" + body, name="pyproject.toml")
    proc = run_cli("audit", "fleet.csv", "--as-of", "2026-11-26", cwd=d)
    assert proc.returncode == 0, proc.stderr
    elsewhere = tmp_path / "cfg" / "team.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(CONFIG.replace('rules = ["rules/origin"]', 'rules = ["../rules/origin"]'))
    (d / "pyproject.toml").unlink()
    proc = run_cli("audit", "fleet.csv", "--as-of", "2026-11-26", "--config", str(elsewhere), "--out", "x", cwd=d)
    assert proc.returncode == 0, proc.stderr  # relative paths in the file are relative to the file


def test_config_show_prints_values_and_origins(tmp_path):
    d = project(tmp_path, CONFIG)
    proc = run_cli("config", "show", cwd=d)
    assert proc.returncode == 0, proc.stderr
    lines = {ln.split()[0]: ln for ln in proc.stdout.splitlines() if ln and not ln.startswith("#")}
    assert "critical" in lines["fail_on"] and "auditor.toml:2" in lines["fail_on"]
    assert "Rig Tag=serial" in lines["map"] and "auditor.toml:8" in lines["map"]
    assert "default" in lines["encoding"]
    data = json.loads(run_cli("config", "show", "--json", cwd=d).stdout)
    assert data["config_file"].endswith("auditor.toml")
    fmt = next(s for s in data["settings"] if s["setting"] == "format")
    assert fmt["value"] == "json,md"


def test_config_errors_name_file_and_line(tmp_path):
    d = project(tmp_path, 'fail_on = "high"\ncolour = "blue"\n')
    proc = run_cli("audit", "fleet.csv", cwd=d)
    assert proc.returncode == 2 and "auditor.toml:2: unknown setting 'colour'" in proc.stderr
    (d / "auditor.toml").write_text('fail_on = ["high"]\n')
    proc = run_cli("config", "show", cwd=d)
    assert proc.returncode == 2 and "auditor.toml:1: fail_on must be a string" in proc.stderr
    (d / "auditor.toml").write_text("fail_on = \n")
    proc = run_cli("audit", "fleet.csv", cwd=d)
    assert proc.returncode == 2 and "auditor.toml:1: invalid TOML" in proc.stderr
    proc = run_cli("audit", "fleet.csv", "--config", "nope.toml", cwd=d)
    assert proc.returncode == 2 and "nope.toml: no such config file" in proc.stderr
    (d / "auditor.toml").write_text('fail_on = "severe"\n')
    proc = run_cli("audit", "fleet.csv", cwd=d)
    assert proc.returncode == 2 and "severe" in proc.stderr and "Traceback" not in proc.stderr
