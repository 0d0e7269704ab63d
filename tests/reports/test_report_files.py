"""findings.csv, report.html source, determinism of every format, and the CLI's --format."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal

import pytest

from auditor.formats.csv_format import COLUMNS, neutralise
from auditor.formats.html_format import script_json
from auditor.model import RefDataSource, TariffExposure, TariffExposureLine, TariffOrigin

from .conftest import HOSTILE_CSV, HOSTILE_TOTAL, RULES, audit, report_json


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
    ("Rockdale TX", "Rockdale TX"), ("a=b", "a=b"), ("", ""), ("'quoted", "'quoted"),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "findings.csv starts with a UTF-8 BOM for spreadsheets"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_findings_csv_one_row_per_finding_and_formula_safe(hostile_report):
    rows = read_csv(hostile_report / "findings.csv")
    assert list(rows[0].keys()) == list(COLUMNS)
    assert len(rows) == HOSTILE_TOTAL
    by_line = {(r["rule_id"], int(r["line"])): r for r in rows}
    # Line 14: serial "-2+3", site "@SUM(1+1)" -> neutralised in every text cell that carries them.
    r = by_line[("ORIG-001", 14)]
    assert r["serial"] == "'-2+3" and r["asset_key"] == "'-2+3" and r["site"] == "'@SUM(1+1)"
    # No cell may start with a formula trigger.
    for row in rows:
        for k, v in row.items():
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r")), (k, v)
    # Markup is just text in a CSV.
    assert by_line[("ORIG-001", 6)]["site"] == '<img src=x onerror="window.__pwned=1">'
    # Same findings as report.json, same order.
    doc = report_json(hostile_report)
    assert [r["fingerprint"] for r in rows] == [f["fingerprint"] for f in doc["findings"]]


def test_script_json_cannot_break_out():
    hostile = {"s": "</script><script>alert(1)</script><!-- \u2028 & </SCRIPT"}
    text = str(script_json(hostile))
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert json.loads(text) == hostile


def test_html_embeds_all_findings_safely(hostile_report):
    html = (hostile_report / "report.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', html, re.S)
    data = json.loads(m.group(1))
    assert len(data["rows"]) == HOSTILE_TOTAL
    assert html.count("</script>") == 2  # the data element and the program: nothing from the inventory
    assert "<img" not in html
    # The CSP pins the one inline script by hash and allows no network source.
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "http" not in csp


def test_every_format_is_byte_identical_across_runs(tmp_path):
    inv = tmp_path / "hostile.csv"
    inv.write_text(HOSTILE_CSV, encoding="utf-8")
    a = audit(inv, tmp_path / "a")
    b = audit(inv, tmp_path / "b")
    for name in ("report.html", "report.pdf", "report.json", "findings.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_cli_writes_the_four_formats(tmp_path):
    inv = tmp_path / "hostile.csv"
    inv.write_text(HOSTILE_CSV, encoding="utf-8")
    args = [sys.executable, "-c", "from auditor.cli import main; main()", "audit", str(inv), "--out",
            str(tmp_path / "out"), "--as-of", "2026-11-26", "--format", "html,pdf,json,csv"]
    for r in RULES:
        args += ["--rules", str(r)]
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr  # 4 high findings, --fail-on high
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == \
        ["findings.csv", "report.html", "report.json", "report.pdf", "tariff_rigs.csv"]
    # No tariff rule ran: tariff_rigs.csv holds its header only (one file set per format, always).
    assert (tmp_path / "out" / "tariff_rigs.csv").read_text(encoding="utf-8-sig").startswith("asset_key,serial,file,line")
    args[args.index("--format") + 1] = "html,docx"
    bad = subprocess.run(args, capture_output=True, text=True)
    assert bad.returncode == 2 and "docx" in bad.stderr and "Traceback" not in bad.stderr


def _result_with_tariffs_and_refdata():
    from datetime import date
    from pathlib import Path

    from auditor.audit import AuditOptions, run_audit
    from auditor.refdata.loader import RefDataOptions

    from .conftest import REPO

    result = run_audit(AuditOptions(inventories=[str(REPO / "sample_inventory.csv")], as_of=date(2026, 11, 26),
                                    rule_dirs=[Path(r) for r in RULES], refdata=RefDataOptions(use_db=False)))
    sources = (RefDataSource("tariffs", "refdata/tariffs.toml", "ab" * 32),
               RefDataSource("facilities", "refdata/facilities.csv", "cd" * 32))
    programmes = (TariffExposureLine("CN", "MFN", 28, Decimal("3130.40"), 28, Decimal("3130.40")),
                  TariffExposureLine("CN", "IEEPA fentanyl", 28, Decimal("26969.60"), 0, Decimal(0)))
    cn = TariffOrigin("CN", rigs=28, rigs_valued=28, rigs_date_assumed=3, declared_value_usd=Decimal("120400"),
                      duty_at_import_usd=Decimal("30100.00"), duty_as_of_usd=Decimal("48000.00"),
                      rates_at_import=((Decimal("0.25"), 28),), rate_as_of=(Decimal("0.55"),), programmes=programmes)
    tariff = TariffExposure(as_of=date(2026, 11, 26), exposure_usd=Decimal("41250.00"),
                            exposure_as_of_usd=Decimal("63800.00"), declared_value_usd=Decimal("120400"), by_origin=(cn,),
                            components={}, not_estimated={"us_origin": 2}, rigs_date_assumed=3, notes=(), note="Estimate only")
    return replace(result, refdata_sources=sources, tariff=tariff)


def test_tariff_and_reference_data_render_in_html_and_pdf(tmp_path):
    from auditor.formats.html_format import FORMAT as HTML
    from auditor.formats.pdf_format import render_html

    result = _result_with_tariffs_and_refdata()
    page = HTML.write(result, tmp_path).read_text(encoding="utf-8")
    printable = render_html(result)
    for text in (page, printable):
        text = text.replace("<wbr>", "")  # line-break opportunities in names (templates' breakable filter)
        assert 'id="chart-tariff"' in text and 'id="tariff"' in text
        assert "USD 30,100 at import" in text and "USD 48,000 as-of rates" in text
        assert "<td>25% (28)</td>" in text and "<td>55%</td>" in text
        assert '<td class="indent">IEEPA fentanyl</td>' in text and "26,969.60" in text
        # The fleet total is the table's last row (a tfoot would repeat on every PDF page).
        assert "<tfoot>" not in text.split('id="tariff"')[1].split("</section>")[0]
        assert "3 rigs have no import date" in text and "rates in force on the audit date (2026-11-26)" in text
        assert "2 rigs: no duty: US origin" in text
        assert "refdata/facilities.csv" in text and "cd" * 32 in text
        # The tariff estimate is always qualified.
        assert "confirm with a licensed customs broker" in text
    # Without tariff data there is no tariff chart or section.
    result = replace(result, tariff=None)
    assert 'id="chart-tariff"' not in render_html(result) and 'id="tariff"' not in render_html(result)


def test_tariff_estimates_are_figures_per_rig_not_findings(tmp_path):
    """The tariff rule tabulates every rig's estimate (tariff_rigs.csv, one row per rig, formula
    cells neutralised) and raises findings only above its attention threshold."""
    inv = tmp_path / "fleet.csv"
    inv.write_text("serial,model,assembly_country,import_date,declared_value_usd\n"
                   "=HYPERLINK(1),Antminer S21,CN,2025-06-18,3000\n"   # 57.6%: 1,728.00, below USD 2,500
                   "B2,Antminer S21,CN,2025-04-10,3000\n"             # 172.6%: 5,178.00, above
                   "B3,Antminer S21,MY,,1000\n"                       # no import date: the audit date's 2.6%
                   "B4,Antminer S21,US,2025-06-18,9000\n", encoding="utf-8")  # US origin: no duty
    out = tmp_path / "out"
    args = [sys.executable, "-c", "from auditor.cli import main; main()", "audit", str(inv), "--out", str(out),
            "--as-of", "2026-11-26", "--format", "json,csv", "--rules", str(RULES[0].parent / "tariff")]
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    with open(out / "tariff_rigs.csv", encoding="utf-8-sig", newline="") as fh:
        rigs = list(csv.DictReader(fh))
    assert [r["asset_key"] for r in rigs] == ["'=HYPERLINK(1)", "B2", "B3", "B4"]
    assert [r["duty_at_import_usd"] for r in rigs] == ["1728.00", "5178.00", "26.00", ""]
    assert [r["duty_as_of_usd"] for r in rigs] == ["828.00", "828.00", "26.00", ""]
    assert rigs[2]["rates_on"] == "2026-11-26" and rigs[2]["rates_on_basis"] == "audit date (import_date missing)"
    assert rigs[3]["status"] == "no duty: US origin"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    # Findings only where something needs attention: B2's duty above USD 2,500; IEEPA refunds for both 2025 entries.
    assert sorted((f["rule_id"], f["asset"]["serial"]) for f in report["findings"]) == [
        ("TARIFF-001", "B2"), ("TARIFF-002", "=HYPERLINK(1)"), ("TARIFF-002", "B2")]
    assert report["summary"]["informational"]["findings"] == 0
    t = report["tariff_exposure"]
    assert t["duty_at_import_usd"] == "6932.00" and t["rigs_import_date_missing"] == 1
    assert "1 rig has no import date" in t["import_date_note"]
    assert report["summary"]["tariff_exposure_usd"] == "6932.00"
