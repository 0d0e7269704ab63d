"""report.pdf: real WeasyPrint output, read back with pypdf and rendered with poppler's pdftoppm."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import AS_OF, HOSTILE_COUNTS, HOSTILE_TOTAL, RULES, audit, report_json, require_tool


def text_of(pdf: Path, pages: range | None = None) -> str:
    reader = PdfReader(str(pdf))
    chosen = reader.pages if pages is None else [reader.pages[i] for i in pages if i < len(reader.pages)]
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in chosen))


def expected_audit_id(doc: dict) -> str:
    # The documented definition: SHA-256 over canonical JSON of {"as_of", "inputs"}, first 16 hex digits.
    basis = json.dumps({"as_of": doc["as_of"], "inputs": doc["inputs"]}, sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def test_summary_counts_in_pdf_equal_report_json(sample_report):
    doc = report_json(sample_report)
    s = doc["summary"]
    first = text_of(sample_report / "report.pdf", range(0, 3))
    sev = ", ".join(f"{s['by_severity'][k]} {k}" for k in ("critical", "high", "medium", "low", "info"))
    assert f"Findings {s['findings']} — {sev}" in first  # cover page
    assert f"Rigs audited {s['assets']} ({s['rows_read']} rows read, {s['rows_rejected']} rejected)" in first
    assert f"{s['assets']} rigs audited as of {AS_OF}. {s['assets_with_findings']} of them" in first
    assert (f"Completeness: {s['rows_read']} inventory rows read = {s['rows_audited']} audited + "
            f"{s['rows_rejected']} rejected") in first
    # Every rule's count appears in the findings-by-rule table.
    body = text_of(sample_report / "report.pdf")
    for rule_id, n in s["by_rule"].items():
        assert re.search(rf"{re.escape(rule_id)} .*? {n} ", body), rule_id
    # The sample inventory has 5 rejected rows (lines 127-131), each listed with its reason.
    assert "Rejected rows (5)" in body
    for r in doc["rejected_rows"]:
        assert r["reason"][:30] in body


def test_cover_running_header_and_page_numbers(sample_report):
    doc = report_json(sample_report)
    aid = expected_audit_id(doc)
    reader = PdfReader(str(sample_report / "report.pdf"))
    n = len(reader.pages)
    cover = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Example Mining Co." in cover and f"Audit ID {aid}" in cover and f"As-of date {AS_OF}" in cover
    assert doc["inputs"]["inventory"][0]["sha256"] in cover
    for i in range(1, n):
        t = re.sub(r"\s+", " ", reader.pages[i].extract_text())
        assert f"Audit ID {aid} · as of {AS_OF}" in t, f"page {i + 1} lacks the running header"
        assert f"Page {i + 1} of {n}" in t
    assert reader.metadata["/CreationDate"] == "D:20261126000000Z"


def test_pdf_has_the_sections_a_regulator_expects(sample_report):
    body = text_of(sample_report / "report.pdf")
    for heading in ("Contents", "Executive summary", "Charts", "Findings by rule", "Methodology and sources",
                    "Rejected rows", "Full detail", "findings.csv", "report.json"):
        assert heading in body
    # Citations with their URLs, rule versions and hashes appear in the methodology.
    assert "15 CFR 791.4" in body and "ecfr.gov" in body


def test_pdftoppm_renders_the_first_pages(sample_report, tmp_path):
    subprocess.run([require_tool("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "3", str(sample_report / "report.pdf"),
                    str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 3
    from PIL import Image

    for png in pngs:
        im = Image.open(png).convert("L")
        lo, hi = im.getextrema()
        assert lo < 100 and hi > 200, f"{png.name} looks blank"


def test_hostile_text_is_printed_literally(hostile_report):
    body = text_of(hostile_report / "report.pdf")
    assert "Hostile <b>Test</b> Org" in body
    assert "<img src=x onerror=window.__pwned=2>" in body  # DQ-002 is high: its rigs are listed
    s = report_json(hostile_report)["summary"]
    assert s["by_severity"] == HOSTILE_COUNTS and s["findings"] == HOSTILE_TOTAL


def test_pdf_bytes_are_deterministic_and_environment_restored(tmp_path, sample_report):
    os.environ["SOURCE_DATE_EPOCH"] = "12345"
    try:
        inv = sample_report.parent / "sample_inventory.csv"
        a = audit(inv, tmp_path / "a", "pdf", org="Example Mining Co.")
        b = audit(inv, tmp_path / "b", "pdf", org="Example Mining Co.")
        assert os.environ["SOURCE_DATE_EPOCH"] == "12345"
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert (a / "report.pdf").read_bytes() == (b / "report.pdf").read_bytes()
    assert (a / "report.pdf").read_bytes() == (sample_report / "report.pdf").read_bytes()


def _stress_rules(d: Path) -> Path:
    d.mkdir()
    for rid, sev in (("STRESS-001", "critical"), ("STRESS-002", "high")):
        (d / f"{rid}.toml").write_text(
            f'id = "{rid}"\ntitle = "Every rig ({sev})"\nseverity = "{sev}"\nkind = "data_quality"\n'
            f'check = "condition"\nmessage = "Stress {sev} on {{serial}}"\nremediation = "None."\n'
            f'references = [{{ title = "test" }}]\nconfidence = "P"\n\n[effective]\nundated = "test"\n\n'
            f'[match]\nfield = "serial"\nexists = true\n\n'
            f'[[tests]]\nname = "fires"\nexpect = "fail"\nrow = {{ serial = "S1", model = "S21" }}\n',
            encoding="utf-8")
    return d


def test_many_severe_findings_are_capped_and_pointed_to(tmp_path):
    # 4,000 rigs x 2 rules firing critical and high on every rig = 8,000 severe findings (+ ORIG-001 on CN rigs).
    n = 4000
    inv = tmp_path / "fleet.csv"
    inv.write_text("serial,model,assembly_country,site,mac\n" + "".join(
        f"F{i:05d},Antminer S21,{'CN' if i % 2 else 'MY'},Site {i % 5},02:00:00:00:{i // 256:02x}:{i % 256:02x}\n"
        for i in range(n)), encoding="utf-8")
    out = audit(inv, tmp_path / "out", "pdf,json", rules=RULES + [_stress_rules(tmp_path / "stress")])
    reader = PdfReader(str(out / "report.pdf"))
    assert len(reader.pages) <= 60
    body = text_of(out / "report.pdf")
    # 300 rows shared by two rules: 150 each, the rest pointed to.
    assert "150 of 4,000 critical and high findings listed" in body
    assert body.count("150 of 4,000 critical and high findings listed") == 2
    assert "up to 300 rows in this document" in body
    s = report_json(out)["summary"]
    assert s["by_severity"]["critical"] == n and s["by_severity"]["high"] == n
    assert f"{2 * n + n // 2:,}" in body  # total findings: 8,000 + 2,000 ORIG-001


def test_incomplete_audit_says_so_on_the_cover_and_page(tmp_path, sample_report):
    from .conftest import run_cli

    inv = sample_report.parent / "sample_inventory.csv"
    args = ["audit", str(inv), "--out", str(tmp_path / "out"), "--as-of", AS_OF, "--format", "pdf,html", "--strict", "-q"]
    for r in RULES:
        args += ["--rules", str(r)]
    assert run_cli(args) == 3  # the sample has 5 rejected rows: INCOMPLETE under --strict
    cover = re.sub(r"\s+", " ", PdfReader(str(tmp_path / "out" / "report.pdf")).pages[0].extract_text())
    assert "Status INCOMPLETE" in cover and "INCOMPLETE AUDIT. 5 row(s) rejected under --strict" in cover
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert '<div class="alert" role="alert"><strong>This audit is INCOMPLETE.</strong>' in html
