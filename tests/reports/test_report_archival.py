"""report.pdf is an archival PDF/A-3b carrying report.json, and stays so once signed (issue 16, item 5).

No PDF/A validator is installable from the registries this project uses (veraPDF is a Java
application distributed outside them), so the test checks, on the real WeasyPrint output and on
the signed copy, the requirements of ISO 19005-3 level B that a report can break:
  - XMP metadata identifying PDF/A part 3, conformance B (pdfaid), PDF 1.7 header;
  - an sRGB output intent (GTS_PDFA1) with its embedded ICC profile;
  - every font embedded (poppler's pdffonts), no encryption;
  - report.json as an associated file: catalog /AF -> file specification with /AFRelationship
    /Data, its embedded stream typed application/json with dates, byte-identical to report.json;
and that signing adds an incremental update only: pdfsig and pyHanko accept the signature, the
attachment and the PDF/A identification are still there.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, require_tool, run_cli

ENV = {"AUDITOR_KEY_PASSPHRASE": "correct horse battery"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("archival")
    keys = d / "keys"
    assert run_cli("keys", "generate", "--out", str(keys), "--org", "Example Mining LLC", env=ENV).returncode == 0
    common = [str(REPO / "sample_inventory.csv"), "--as-of", "2026-11-26", "--format", "json,pdf",
              "--org", "Example Mining LLC", "--bundled-lists-only", "--no-record", "-q"]
    plain = run_cli("audit", *common, "--out", str(d / "plain"))
    signed = run_cli("audit", *common, "--out", str(d / "signed"), "--sign", "--key", str(keys), env=ENV)
    assert plain.returncode == 1 and signed.returncode == 1, plain.stderr + signed.stderr
    return d / "plain", d / "signed"


def _check_pdfa3b_with_report_json(folder: Path) -> None:
    pdf = folder / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-1.7")
    reader = PdfReader(str(pdf))
    assert not reader.is_encrypted
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    assert len(intent["/DestOutputProfile"].get_object().get_data()) > 0
    fonts = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(line.split()[-5] == "yes" for line in rows), fonts  # the "emb" column
    # WeasyPrint lists the one file specification twice in /AF (from the name tree and the object).
    (ref,) = {f.idnum: f for f in root["/AF"]}.values()
    spec = ref.get_object()
    assert spec["/F"] == "report.json" and spec["/UF"] == "report.json" and spec["/AFRelationship"] == "/Data"
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/json"
    assert stream["/Params"]["/ModDate"] == "D:20261126000000Z"
    assert stream.get_data() == (folder / "report.json").read_bytes()


def test_report_pdf_is_pdfa3b_with_report_json_attached(reports):
    plain, _ = reports
    _check_pdfa3b_with_report_json(plain)


def test_signed_report_pdf_is_still_pdfa3b_and_verifies(reports):
    plain, signed = reports
    _check_pdfa3b_with_report_json(signed)
    pdfsig = subprocess.run([require_tool("pdfsig"), str(signed / "report.pdf")], capture_output=True, text=True)
    assert "Signature Validation: Signature is Valid." in pdfsig.stdout, pdfsig.stdout + pdfsig.stderr
    assert "Total document signed" in pdfsig.stdout
    verify = run_cli("verify", str(signed), "--trust-included-root")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "report.pdf" in verify.stdout and "PAdES signature valid, covers the entire file" in verify.stdout
    # Signing appends an incremental update: the unsigned bytes are a prefix of the signed file.
    assert signed.joinpath("report.pdf").read_bytes().startswith(plain.joinpath("report.pdf").read_bytes())
