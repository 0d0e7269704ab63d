"""report.pdf's page layout, checked on the PDF itself: text positions per page (pypdf's text
visitor gives each run's coordinates) and pages rendered by poppler's pdftoppm.

One "long" audit exercises every layout hazard at once: two inventory files with long names, an
INCOMPLETE banner (a rejected row under --strict), more distinct problems than the cover lists,
a tariff table over several pages (fifty origins), and more rejected rows than fit on a page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from auditor.formats.pdf_layout import SIGNATURE_BOX

from .conftest import AS_OF, REPO, require_tool, run_cli

ORIGINS = ["CN", "HK", "MO", "MY", "TH", "ID", "VN", "KH", "PH", "SG", "NO", "DE", "FR", "GB", "JP", "KR", "TW",
           "IN", "BR", "MX", "CA", "AU", "NZ", "ZA", "EG", "NG", "KE", "AR", "CL", "PE", "CO", "PL", "CZ", "HU",
           "RO", "BG", "GR", "IT", "ES", "PT", "NL", "BE", "SE", "FI", "DK", "IE", "AT", "CH", "IL", "TR"]
# Underscores and dots only (no hyphen, where any line breaker may break): without the breakable
# filter a narrow column cuts these mid-word ("fleet2.cs" / "v").
LONG_A = "fleet_site_alpha_2026_11_purchase_order_batch_000001.exported_from_the_asset_register_" + "x" * 60 + ".csv"
LONG_B = "fleet_site_bravo_2026_11_purchase_order_batch_000002.exported_from_the_asset_register_" + "y" * 60 + ".csv"
HEADER = ("Serial Number,Manufacturer,Miner Model,Firmware,FW Version,Assembly Country,Manufacture Date,Chip Vendor,"
          "MAC Address,Supplier,PO Number,Import Date,Declared Value (USD),HTS Code,Site\n")


def _row(serial, country, supplier="Luxor Technology Corp", mac=None, imported="2025-06-18", value="3500.00"):
    mac = mac or "02:1c:4f:%02x:%02x:%02x" % (hash(serial) & 0xFF, (hash(serial) >> 8) & 0xFF, (hash(serial) >> 16) & 0xFF)
    return (f"{serial},Bitmain,Antminer S21,stock,2024.1,{country},2024-05-01,Bitmain,{mac},{supplier},PO-1,"
            f"{imported},{value},8543.70.9960,Rockdale TX\n")


@pytest.fixture(scope="module")
def long_report(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("long")
    a = d / LONG_A
    b = d / LONG_B
    rows_a = [_row(f"LA{i:05d}", c) for i, c in enumerate(ORIGINS * 3)]
    # High and critical problems for the cover: duplicate serials, listed suppliers.
    rows_b = [_row("LA00001", "CN"), _row("LA00002", "MY"), _row("LB00001", "CN", supplier="BitRiver"),
              _row("LB00002", "CN", supplier="Sophgo Technologies Ltd"), _row("LB00003", "US", imported="")]
    # 200 rows the reader rejects (an impossible date): the rejected-rows table spans pages, and
    # --strict makes the audit INCOMPLETE.
    rows_b += [_row(f"LR{i:05d}", "MY", imported="2025-02-30") for i in range(200)]
    a.write_text(HEADER + "".join(rows_a), encoding="utf-8")
    b.write_text(HEADER + "".join(rows_b), encoding="utf-8")
    out = d / "out"
    proc = run_cli("audit", str(a), str(b), "--out", str(out), "--as-of", AS_OF, "--format", "json,pdf",
                   "--strict", "--bundled-lists-only", "--no-record", "-q",
                   "--org", "Example Mining Co.")
    assert proc.returncode == 3, proc.stderr  # INCOMPLETE: rejected rows under --strict
    return out / "report.pdf"


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "out"
    proc = run_cli("audit", str(REPO / "sample_inventory.csv"), "--out", str(out), "--as-of", AS_OF,
                   "--format", "pdf", "--bundled-lists-only", "--no-record", "-q")
    assert proc.returncode == 1, proc.stderr
    return out / "report.pdf"


def runs(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run on the page, in PDF points from the bottom left."""
    out: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return out


def page_texts(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(pdf)).pages]


def test_cover_fits_page_one_above_the_reserved_signature_box(long_report, sample_pdf):
    x1, y1, x2, y2 = SIGNATURE_BOX
    for pdf in (long_report, sample_pdf):
        texts = page_texts(pdf)
        # The cover's last fact row, the actions and the signature label are on page 1; page 2 is the contents.
        assert "Produced by auditor" in texts[0] and "Needs action" in texts[0], pdf
        assert "Digital signature of the issuer" in texts[0]
        assert texts[1].lstrip().startswith("Contents") or " Contents " in texts[1][:200], texts[1][:200]
        cover = runs(PdfReader(str(pdf)).pages[0])
        label = [r for r in cover if r[2].startswith("Digital signature of the issuer")]
        assert len(label) == 1 and x1 - 1 <= label[0][0] <= x1 + 3 and y2 <= label[0][1] <= y2 + 12, label
        # Nothing is written inside the box or on the band just above it, except the box's own label;
        # the fine print sits to its left and the page number below it.
        for x, y, text in cover:
            if text.startswith("Digital signature of the issuer") or y < y1 - 12:
                continue
            if y <= y2 + 14:
                assert x < x1 - 12, (text, x, y)
        # Every cover row (everything above the fine print) ends above the box's label.
        body = [r for r in cover if r[0] >= x1 - 12 and not r[2].startswith("Digital signature")]
        assert all(y > y2 + 14 for _x, y, _t in body if y > y1 - 12)


def test_the_long_audit_cover_names_inputs_and_counts_the_rest(long_report):
    cover = page_texts(long_report)[0]
    assert "INCOMPLETE AUDIT." in cover
    assert "more distinct problem" in cover  # the cover lists five problems and counts the others


def _table_pages(texts: list[str], start_text: str, last_row: str) -> list[int]:
    """The pages a table spans: from the page with `start_text` (its heading and what follows)
    to the first page with its last row."""
    start = next(i for i, t in enumerate(texts) if start_text in t)
    end = next(i for i in range(start, len(texts)) if last_row in texts[i])
    return list(range(start, end + 1))


TARIFF_START = "Tariff exposure by origin and programme Estimated US import duty"


def test_a_long_table_repeats_its_header_says_continued_and_totals_once_at_its_end(long_report):
    texts = page_texts(long_report)
    pages = _table_pages(texts, TARIFF_START, "Total (estimate)")
    assert len(pages) >= 2, pages  # fifty origins: the table runs over pages
    for i in pages[1:]:
        assert "Tariff exposure by origin and programme (continued)" in texts[i], i
        assert "Origin · programme" in texts[i], i  # the header row again
    # The total only at the table's end: never on an earlier page, where it would look complete.
    assert [i for i in pages if "Total (estimate)" in texts[i]] == [pages[-1]]
    # The running "continued" header stops with the table: the page after it does not carry it.
    after = pages[-1] + 1
    assert after >= len(texts) or "Tariff exposure by origin and programme (continued)" not in texts[after]
    # Rejected rows (150 listed of 200) span pages too, each later page saying so.
    rejected = _table_pages(texts, "Rejected rows (200) These inventory rows", "further rejected rows are listed in report.json")
    assert len(rejected) >= 2 and all("Rejected rows (continued)" in texts[i] for i in rejected[1:])
    # The findings-by-rule total is its table's last row, printed once.
    overview = _table_pages(texts, "Findings by rule Rule Title Kind", " distinct")
    assert [i for i in overview if re.search(r"Total \d", texts[i])] == [overview[-1]]


def test_no_banner_alone_on_a_page(long_report):
    texts = page_texts(long_report)
    for i, t in enumerate(texts):
        if "This audit is INCOMPLETE" in t:
            # The summary's banner stays with the paragraph that follows it.
            assert "rigs audited as of" in t, i
        body = re.sub(r"Mining-fleet audit · .*?as of \d{4}-\d{2}-\d{2}|Page \d+ of \d+|Full detail: findings.csv and report.json",
                      "", t).strip()
        assert not re.fullmatch(r"(INCOMPLETE AUDIT\.|This audit is INCOMPLETE\.).{0,600}", body) or \
            "Needs action" in body or "rigs audited as of" in body, (i, body[:200])


def test_file_names_wrap_between_their_parts(long_report):
    """A long file name in a narrow column breaks after / _ . - (the breakable filter), never mid-word."""
    reader = PdfReader(str(long_report))
    for name in (LONG_A, LONG_B):
        seen = 0
        for page in reader.pages:
            for _x, _y, text in runs(page):
                # A line that holds the start of the name but not all of it: the name wraps after it.
                if name.startswith(text) and len(text) >= 8 and text != name:
                    seen += 1
                    assert text[-1] in "/_.-", (name, text)
        assert seen, f"{name} never wrapped: widen the test's name"


def _render_gray(pdf: Path, page: int, dpi: int, tmp_path: Path) -> np.ndarray:
    exe = require_tool("pdftoppm")
    prefix = tmp_path / f"p{page}"
    subprocess.run([exe, "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
                   check=True, capture_output=True)
    [pgm] = sorted(tmp_path.glob(f"p{page}*.pgm"))
    data = pgm.read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header, "pdftoppm -gray writes binary PGM"
    w, h = int(header.group(1)), int(header.group(2))
    return np.frombuffer(data[header.end():header.end() + w * h], dtype=np.uint8).reshape(h, w)


def test_rendered_cover_leaves_the_signature_box_empty(long_report, sample_pdf, tmp_path):
    """Rendered by pdftoppm: inside the reserved box (inset from its dashed border) every pixel is
    white, so a visible signature never covers report text; the cover carries ink above it."""
    dpi = 72
    x1, y1, x2, y2 = SIGNATURE_BOX
    for n, pdf in enumerate((long_report, sample_pdf)):
        (tmp_path / str(n)).mkdir()
        img = _render_gray(pdf, 1, dpi, tmp_path / str(n))
        h = img.shape[0]
        inside = img[int(h - y2) + 4:int(h - y1) - 4, int(x1) + 4:int(x2) - 4]
        assert inside.size and inside.min() >= 250, pdf
        assert img[: int(h - y2) - 20].min() < 100  # the cover itself is printed


def test_rendered_pages_of_the_long_report(long_report, tmp_path):
    """Every page renders; the tariff table's continuation page carries ink in its top margin (the
    "continued" header) and in its body."""
    texts = page_texts(long_report)
    pages = _table_pages(texts, TARIFF_START, "Total (estimate)")
    img = _render_gray(long_report, pages[1] + 1, 50, tmp_path)
    h = img.shape[0]
    top_margin = img[: int(h * 22 / 297)]  # 22 mm top margin of an A4 page
    assert top_margin.min() < 128 and img[int(h * 0.3):int(h * 0.7)].min() < 128
