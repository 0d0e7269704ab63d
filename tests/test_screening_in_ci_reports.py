"""What the screening says in every report, with real official list files imported: the
finding's sentence, which lists were screened and which expected ones were absent."""

from __future__ import annotations

import csv
import json

from conftest import read_report, run_cli, shared_lists

FCC = "FCC Covered List (FCC) - Federal Communications Commission"


def _import(name: str, retrieved: str) -> None:
    done = run_cli("lists", "import", shared_lists() / name, "--retrieved", retrieved)
    assert done.returncode == 0, done.stderr


def _audit(tmp_path, rows: str, *extra: str, formats: str = "json,html,csv,junit,md"):
    inventory = tmp_path / "po.csv"
    inventory.write_text("serial,model,supplier\n" + rows, encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--overwrite", "--rules", "rules/entity/ENT-001.toml",
                   "--format", formats, *extra)
    return done, out


def test_a_match_on_one_entry_reads_as_a_sentence_in_every_report(tmp_path, isolated_db):
    _import("fcc_covered_list.csv", "2026-11-20")
    done, out = _audit(tmp_path, "P1,Antminer S21,Hytera Communications Corporation Limited\n",
                       "--as-of", "2026-11-30", "--no-bundled-list")
    assert done.returncode == 0, done.stderr  # FCC: low severity, below the default gate
    (finding,) = read_report(out)["findings"]
    expected = (f"supplier 'Hytera Communications Corporation Limited' matches 'Hytera Communications Corporation' "
                f"on {FCC} (score 1.00): ")
    assert finding["message"].startswith(expected)
    with (out / "findings.csv").open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["message"] == finding["message"]
    for name in ("report.html", "report.junit.xml", "report.md", "report.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert "(missing)" not in text, name
    assert "(score 1.00): " in (out / "report.junit.xml").read_text(encoding="utf-8")
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["status"] == "complete"
