"""findings.csv, report.html source, determinism of every format, and the CLI's --format."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from auditor.formats.csv_format import COLUMNS, neutralise
from auditor.formats.html_format import script_json
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
        ["findings.csv", "report.html", "report.json", "report.pdf"]
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
    result.options["refdata_sources"] = [{"path": "refdata/tariffs.toml", "sha256": "ab" * 32, "kind": "tariffs"},
                                         {"path": "refdata/facilities.csv", "sha256": "cd" * 32}]
    result.extra_summary.update({
        "tariff_exposure_usd": "41,250.00", "tariff_exposure_as_of_usd": "63,800.00",
        "tariff_by_origin": [{"origin": "CN", "hts": "8543.70.9960", "rigs": 28, "duty_at_import_usd": "30100.00",
                              "rates_at_import": [{"rate": "0.25", "rigs": 28}], "rate_as_of": "0.55",
                              "duty_as_of_usd": "48000.00"}],
    })
    return result


def test_tariff_and_reference_data_render_in_html_and_pdf(tmp_path):
    from auditor.formats.html_format import FORMAT as HTML
    from auditor.formats.pdf_format import render_html

    result = _result_with_tariffs_and_refdata()
    page = HTML.write(result, tmp_path).read_text(encoding="utf-8")
    printable = render_html(result)
    for text in (page, printable):
        assert 'id="chart-tariff"' in text and 'id="tariff"' in text
        assert "USD 30,100 at import" in text and "USD 48,000 as-of rates" in text
        assert "25% (28)</span></td>" in text and "<td>55%</td>" in text
        assert "refdata/facilities.csv" in text and "cd" * 32 in text
        # The tariff estimate is always qualified.
        assert "confirm with a licensed customs broker" in text
    # Without tariff data there is no tariff chart or section.
    result.extra_summary.clear()
    assert 'id="chart-tariff"' not in render_html(result) and 'id="tariff"' not in render_html(result)
