"""No report file names a path of the machine that ran the audit (issue 16, item 6).

Every input is given by absolute path — two inventories of the same name in different folders,
official lists imported from ../shared/data/lists, an officer's own tariff schedule, a baseline —
the report is written in every format and signed, and then every file of the folder is scanned
(PDF text and raw bytes included) for the absolute directories of the run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import read_report

from auditor.public_names import public_name, public_names
from tests.conftest import REPO, require_tool, run_cli, shared_lists

AS_OF = "2026-11-26"
ENV = {"AUDITOR_KEY_PASSPHRASE": "correct horse battery"}
# An absolute POSIX path of a typical machine, wherever it appears in text.
ABSOLUTE = re.compile(r"(?<![\w.:/~-])/(?:tmp|home|work|root|Users|var|opt|srv|mnt)/[\w.-]")


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory) -> tuple[Path, list[str]]:
    d = tmp_path_factory.mktemp("abs")
    (d / "site-a").mkdir()
    (d / "site-b").mkdir()
    shutil.copy(REPO / "sample_inventory.csv", d / "site-a" / "fleet.csv")
    # A second file of the same name: a rig without serial in each, so asset keys name the file.
    (d / "site-b" / "fleet.csv").write_text(
        "serial,model,assembly_country,site\n,Antminer S21,CN,Beta\nB-2,Antminer S21,MY,Beta\n", encoding="utf-8")
    tariffs = d / "own" / "my_tariffs.toml"
    tariffs.parent.mkdir()
    shutil.copy(REPO / "auditor" / "refdata" / "data" / "tariffs.toml", tariffs)
    db = f"sqlite:///{d / 'store.sqlite'}"
    lists = shared_lists()
    imp = run_cli("lists", "import", str(lists / "csl_2023-11_partial.csv"), "--format", "csl-csv",
                  "--retrieved", "2026-11-20", "--db", db)
    assert imp.returncode == 0, imp.stderr
    keys = d / "keys"
    made = run_cli("keys", "generate", "--out", str(keys), "--org", "Example Mining LLC", env=ENV)
    assert made.returncode == 0, made.stderr
    common = [str(d / "site-a" / "fleet.csv"), str(d / "site-b" / "fleet.csv"), "--as-of", AS_OF, "--db", db,
              "--tariffs", str(tariffs), "--no-record", "-q",
              # site-b names no supplier or maker to screen: acknowledged, so the audit is complete.
              "--allow-missing", "supplier"]
    first = run_cli("audit", *common, "--out", str(d / "first"), "--format", "json", cwd=d)
    assert first.returncode == 1, first.stderr
    out = d / "out"
    proc = run_cli("audit", *common, "--out", str(out), "--format", "json,html,pdf,csv,md,sarif,junit",
                   "--baseline", str(d / "first" / "report.json"), "--sign", "--key", str(keys), cwd=d, env=ENV)
    assert proc.returncode == 1, proc.stderr
    forbidden = [str(d), str(REPO), str(lists), str(Path.home())]
    return out, forbidden


def _texts(path: Path) -> list[str]:
    data = path.read_bytes()
    texts = [data.decode("latin-1")]  # raw bytes: PDF metadata, XML, JSON as written
    if path.suffix == ".pdf":
        pdftotext = require_tool("pdftotext")
        texts.append(subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True,
                                    check=True).stdout)
    else:
        texts.append(data.decode("utf-8-sig"))
    return texts


def test_no_report_file_contains_an_absolute_path_of_the_run(report_folder):
    out, forbidden = report_folder
    files = sorted(p for p in out.iterdir() if p.is_file())
    names = {p.name for p in files}
    assert {"report.json", "report.html", "report.pdf", "findings.csv", "report.md", "report.sarif",
            "report.junit.xml", "report.intoto.json"} <= names
    for p in files:
        for text in _texts(p):
            for bad in forbidden:
                assert bad not in text, f"{p.name} contains the local path {bad}"
            m = ABSOLUTE.search(text)
            assert m is None, f"{p.name} contains an absolute path: …{text[max(0, m.start() - 40):m.end() + 40]}…"


def test_inputs_are_named_by_file_name_and_hash(report_folder):
    out, _ = report_folder
    doc = read_report(out)
    inv = doc["inputs"]["inventory"]
    # Two files called fleet.csv keep distinct names: the folder that tells them apart, no more.
    assert [i["path"] for i in inv] == ["site-a/fleet.csv", "site-b/fleet.csv"]
    assert all(len(i["sha256"]) == 64 for i in inv)
    files = {f["asset"]["file"] for f in doc["findings"]}
    assert files == {"site-a/fleet.csv", "site-b/fleet.csv"}
    # The serial-less rig is keyed by its file's public name and line.
    assert any(f["asset"]["key"] == "line:site-b/fleet.csv:2" for f in doc["findings"])
    assert [s["path"] for s in doc["inputs"]["reference_data"] if s["kind"] == "tariffs"] == ["my_tariffs.toml"]
    assert {li["source"].split(" (imported")[0] for li in doc["inputs"]["lists"] if "csl" in li["source"]} == {
        "csl-csv: csl_2023-11_partial.csv"}


@pytest.mark.parametrize("given, shown", [
    ("/home/alice/deals/fleet.csv", "fleet.csv"),
    ("~/fleet.csv", "fleet.csv"),
    ("../../secret/fleet.csv", "fleet.csv"),
    ("C:\\Users\\alice\\fleet.csv", "fleet.csv"),
    ("po/2026-11.csv", "po/2026-11.csv"),  # relative, below the working directory: as given
    ("https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
     "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"),
])
def test_public_name(given, shown):
    assert public_name(given) == shown


def test_public_names_disambiguate_same_file_names():
    assert public_names(["/x/a/f.csv", "/y/b/f.csv", "/z/g.csv"]) == ["a/f.csv", "b/f.csv", "g.csv"]
    assert public_names(["/x/a/f.csv", "/y/a/f.csv"]) == ["x/a/f.csv", "y/a/f.csv"]
    assert public_names(["/x/f.csv", "/x/f.csv"]) == ["f.csv", "f.csv"]  # the same file given twice
    assert public_names(["f.csv", "/tmp/f.csv"]) == ["f.csv", "tmp/f.csv"]
