"""Screening lists in the PDF and HTML: the cover fits one page however many lists one file holds,
and local paths are shown as file names.

Uses the real trade.gov Consolidated Screening List snapshot from ../shared/data/lists (a dozen
source lists in one file), imported into a throw-away SQLite store by absolute path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import shared_lists

from .conftest import AS_OF, REPO, RULES, report_json, run_cli
from .test_report_pdf import text_of

CSL = "csl_2023-11_partial.csv"
CSL_SHA256 = "054553ac960f9db1e0b5f767f681fcbe230f32a20c2e67d3cbc87b2404e94e0d"  # lists README


@pytest.fixture(scope="module")
def with_csl(tmp_path_factory):
    src = shared_lists() / CSL
    assert src.is_absolute()
    d = tmp_path_factory.mktemp("csl")
    db = f"sqlite:///{d / 'store.sqlite'}"
    # A retrieval date a few days before the as-of date: the list is current for this audit
    # whatever day the test runs (staleness is measured against --as-of).
    assert run_cli(["lists", "import", str(src), "--format", "csl-csv", "--retrieved", "2026-11-20", "--db", db]) == 0
    args = ["audit", str(REPO / "sample_inventory.csv"), "--out", str(d / "out"), "--as-of", AS_OF,
            "--format", "pdf,html,json", "--db", db, "--org", "Example Mining Co.", "-q",
            "--rules", str(REPO / "rules" / "entity" / "ENT-001.toml")]
    for r in RULES:
        args += ["--rules", str(r)]
    assert run_cli(args) == 1  # high findings, complete audit
    return d / "out", src


def csl_sections(doc: dict) -> list[dict]:
    return [li for li in doc["inputs"]["lists"] if CSL in li["source"]]


def test_cover_groups_the_lists_of_one_file_and_fits_one_page(with_csl):
    out, _ = with_csl
    sections = csl_sections(report_json(out))
    assert len(sections) >= 10  # the CSL snapshot holds a dozen source lists
    reader = PdfReader(str(out / "report.pdf"))
    cover = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    # The cover counts the inputs (the CSL file and the bundled list, their entries); the methodology
    # names every list.
    lists = report_json(out)["inputs"]["lists"]
    total = sum(li["entries"] for li in lists)
    assert len({li["sha256"] for li in lists}) == 2
    assert f"2 list files ({total:,} entries)" in cover and CSL_SHA256 not in cover
    method = text_of(out / "report.pdf")
    assert f"{CSL} (imported " in method and method.count(CSL_SHA256) == 1
    # The whole cover, top actions and fine print included, is on page 1.
    assert "Needs action" in cover and "Produced by" in cover
    assert "The audit ID is the first 16" in cover
    second = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    assert "Produced by" not in second and "The audit ID is the first 16" not in second
    assert "Contents" in second and "Page 2 of" in second  # a regular page follows the cover


def test_methodology_names_every_list_and_shows_no_local_path(with_csl):
    out, src = with_csl
    doc = report_json(out)
    pdf = text_of(out / "report.pdf")
    method = pdf[pdf.index("Methodology and sources How this audit"):pdf.index("Rejected rows (")]
    html = (out / "report.html").read_text(encoding="utf-8")
    html_method = html[html.index('<section id="methodology">'):html.index('<section id="full-detail">')]
    for name in (li["name"] for li in csl_sections(doc)):
        assert name in method and name in html_method.replace("&amp;", "&")
    assert CSL in method and CSL in html_method
    # The absolute directory the list was imported from appears nowhere in either methodology.
    assert str(src.parent) not in method and str(src.parent) not in html_method
    assert str(src.parent) not in text_of(out / "report.pdf", range(0, 1))  # nor on the cover
    assert "sample_inventory.csv" in method and str(REPO) not in method  # whole: the name column does not wrap it


@pytest.mark.parametrize("given, shown", [
    ("/work/shared/data/lists/csl.csv", "csl.csv"),
    ("lists/csl.csv", "lists/csl.csv"),  # relative: as given, it says where it is in the project
    ("csl.csv", "csl.csv"),
    ("C:\\data\\csl.csv", "csl.csv"),
])
def test_shown_path(given, shown):
    from auditor.formats.report_view import shown_path

    assert shown_path(given) == shown
