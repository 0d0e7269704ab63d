"""Excel workbooks read directly: the same fleet as a CSV and as an .xlsx gives the same findings.

Workbooks are written here with openpyxl the way Excel saves them: real date cells, numbers
typed into code columns, a title row above the header, a second sheet, formulas with their
cached values.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile

import openpyxl  # a test dependency: a missing one must fail, not skip
import pytest
from conftest import read_report, run_cli

HEADER = ["S/N", "Miner Type", "Manufacturer", "Vendor", "Country", "Date Imported", "Purchase Price",
          "Hosting Location", "HTS"]
# (serial, model, maker, vendor, country, import date, price, site, hts) as the officer typed them
FLEET = [
    ("SN-1001", "Antminer S21", "Bitmain", "Bitmain Technologies", "PRC", dt.date(2024, 9, 4), 3200.5, "Rockdale TX", "8543.70.9960"),
    ("SN-1002", "Whatsminer M50", "MicroBT", "MicroBT", "Made in Malaysia", dt.date(2024, 10, 15), 2900, "Dalton GA", "8543.70.9960"),
    ("SN-1003", "Antminer S19", "Bitmain", "Sophgo Technologies Ltd.", "USA", dt.date(2025, 1, 2), 1500, "Rockdale TX", "8543.70.9960"),
    ("SN-1004", "Antminer S21", "Bitmain", "Bitmain Technologies", "Hong Kong SAR", dt.date(2025, 3, 12), 3100,
     "Dalton GA", "8543.70.9960"),
    ("SN-1004", "Antminer S21", "Bitmain", "Bitmain Technologies", "Viet Nam", dt.date(2025, 3, 12), 3100, "Dalton GA", "8543.70.9960"),
]


def canonical_csv(path):
    """The canonical CSV of the fleet: canonical headers, ISO dates, ISO country codes."""
    codes = {"PRC": "CN", "Made in Malaysia": "MY", "USA": "US", "Hong Kong SAR": "HK", "Viet Nam": "VN"}
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["serial", "model", "manufacturer", "supplier", "assembly_country", "import_date",
                    "unit_price_usd", "site", "hts_code"])
        for s, m, mk, v, c, d, p, site, hts in FLEET:
            w.writerow([s, m, mk, v, codes[c], d.isoformat(), p, site, hts])


def us_csv(path):
    """The officer's own export: their headers, US dates (M/D/YYYY), country names."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for s, m, mk, v, c, d, p, site, hts in FLEET:
            w.writerow([s, m, mk, v, c, f"{d.month}/{d.day}/{d.year}", f"${p:,.2f}", site, hts])


def workbook(path, rows=FLEET, title=True, extra_sheet=True):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Fleet"
    if title:
        ws.append(["Mining fleet — asset register (Q3)"])
        ws.append([])
    ws.append(HEADER)
    for s, m, mk, v, c, d, p, site, hts in rows:
        ws.append([s, m, mk, v, c, d, p, site, hts])
        ws.cell(ws.max_row, 6).number_format = "m/d/yyyy"
    if extra_sheet:
        wb.create_sheet("Notes").append(["reviewed by", "J. Doe"])
    wb.save(path)


def audit(tmp_path, inv, *extra, out="out"):
    proc = run_cli("audit", str(inv), "--out", str(tmp_path / out), "--as-of", "2026-11-26",
                   "--format", "json", "--bundled-lists-only", "--allow-missing", "mac", "--overwrite", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    doc = read_report(tmp_path / out) if proc.returncode in (0, 1, 3) else None
    return proc, doc


def findings(doc):
    """What an officer compares: rule, rig, row, message and evidence (the file's name aside)."""
    name = doc["inputs"]["inventory"][0]["path"]
    return sorted(
        (f["rule_id"], f["asset"]["serial"], f["asset"]["line"], f["message"].replace(name, "<file>"),
         json.dumps(f["evidence"], sort_keys=True).replace(name, "<file>"))
        for f in doc["findings"]
    )


def test_xlsx_us_csv_and_canonical_csv_give_the_same_findings(tmp_path, isolated_db):
    canonical_csv(tmp_path / "canonical.csv")
    us_csv(tmp_path / "officer.csv")
    workbook(tmp_path / "officer.xlsx", title=False)
    runs = {}
    for name in ("canonical.csv", "officer.csv", "officer.xlsx"):
        proc, doc = audit(tmp_path, tmp_path / name, out=name + ".out")
        assert proc.returncode == 1, (name, proc.stderr)
        assert doc["rejected_rows"] == [], name
        runs[name] = doc
    base = findings(runs["canonical.csv"])
    rules = {f[0] for f in base}
    assert {"ORIG-001", "ENT-001", "DQ-002"} <= rules  # the fleet exercises origin, entity, DQ
    # … and tariff figures, the same from every file.
    exposures = [runs[n]["tariff_exposure"] for n in ("canonical.csv", "officer.csv", "officer.xlsx")]
    assert exposures[0]["rigs_estimated"] > 0 and exposures[0] == exposures[1] == exposures[2]
    assert findings(runs["officer.csv"]) == base
    assert findings(runs["officer.xlsx"]) == base
    inv = runs["officer.xlsx"]["inputs"]["inventory"][0]
    assert inv["path"] == "officer.xlsx!Fleet"  # the file's public name, never a local path
    assert inv["rows_read"] == inv["rows_audited"] == len(FLEET)


def test_removing_the_country_column_from_the_workbook_names_the_rules(tmp_path, isolated_db):
    path = tmp_path / "fleet.xlsx"
    workbook(path)
    wb = openpyxl.load_workbook(path)
    wb["Fleet"].delete_cols(5)
    wb.save(path)
    proc, doc = audit(tmp_path, path)
    assert proc.returncode == 3
    assert "ORIG-001" in proc.stdout and "TARIFF-001" in proc.stdout and "assembly_country" in proc.stdout


def test_title_rows_sheet_choice_and_row_numbers(tmp_path, isolated_db):
    path = tmp_path / "fleet.xlsx"
    rows = list(FLEET) + [("SN-2000", None, "Bitmain", "X", "Atlantis", dt.date(2025, 1, 1), 1, "x", "8543.70")]
    workbook(path, rows=rows)
    proc, doc = audit(tmp_path, path)
    assert "read the first sheet 'Fleet' of 2" in proc.stderr and "--sheet" in proc.stderr
    # Title on row 1, blank row 2, header row 3: the rigs start on sheet row 4.
    lines = {f["asset"]["serial"]: f["asset"]["line"] for f in doc["findings"]}
    assert lines["SN-1001"] == 4 and lines["SN-1003"] == 6
    [rej] = doc["rejected_rows"]
    assert rej["line"] == 9 and rej["file"] == "fleet.xlsx!Fleet"
    assert "fleet.xlsx!Fleet!E9" in rej["reason"] and str(tmp_path) not in rej["reason"]
    assert "unknown country 'Atlantis'" in rej["reason"]
    assert "model is empty" in rej["reason"]
    proc, _ = audit(tmp_path, path, "--sheet", "Notes")
    assert proc.returncode == 2 and "no 'model' column" in proc.stderr
    proc, _ = audit(tmp_path, path, "--sheet", "Nope")
    assert proc.returncode == 2 and "no sheet named 'Nope' (sheets: Fleet, Notes)" in proc.stderr


def test_typed_cells_keep_the_text_the_officer_sees(tmp_path, isolated_db):
    path = tmp_path / "fleet.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Serial", "Model", "Country", "HTS Code", "Import Date", "Declared Value", "Site", "Supplier"])
    ws.append([123456789012, "Antminer S21", "CN", 8543.7, dt.datetime(2025, 3, 4, 13, 45), 3200, "=UPPER(\"rockdale\")", "Acme"])
    ws.append(["00123", "Antminer S21", "NO", "8543.70.9960", 45720, "3,100.00", "Dalton", "Acme"])
    wb.save(path)
    # openpyxl stores formulas without a cached value: set the value Excel would have saved.
    _set_cached_value(path, "G2", "ROCKDALE")
    proc, doc = audit(tmp_path, path, "--allow-missing", "mac", "--format", "json,csv")
    assert proc.returncode in (0, 1), proc.stderr
    assert doc["rejected_rows"] == []
    by_serial = {}
    for f in doc["findings"]:
        by_serial.setdefault(f["asset"]["serial"], []).append(f)
    assert "123456789012" in by_serial and "00123" in by_serial  # not 1.23456789012e+11, not 123
    with open(tmp_path / "out" / "tariff_rigs.csv", encoding="utf-8-sig", newline="") as fh:
        rigs = {r["serial"]: r for r in csv.DictReader(fh)}
    assert rigs["123456789012"]["hts"] == "8543.70" and rigs["123456789012"]["rates_on"] == "2025-03-04"
    assert rigs["00123"]["origin"] == "NO"  # Norway, not false


def _set_cached_value(path, cell, value):
    """Rewrite the sheet XML so the formula cell carries a cached string, as Excel saves it."""
    import re

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    xml, n = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                     rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v></c>', xml)
    if n == 0:
        xml, n = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f></c>', rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v></c>', xml)
    assert n == 1, xml[:500]
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)


# ---------------------------------------------------------------- hostile workbooks


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    workbook(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (64 << 20))  # 64 MiB of zeros deflate to ~64 KiB
    proc = run_cli("audit", str(path), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "zip bomb" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("content,message", [
    (b"PK\x03\x04 not really a zip", "not a readable workbook"),
    (b"", "not a readable workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not a readable workbook"),
    (b"serial,model\nA,B\n", "not a readable workbook"),
])
def test_broken_workbooks_exit_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    proc = run_cli("audit", str(path), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and str(path) in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_formula_text_and_markup_stay_inert(tmp_path, isolated_db):
    path = tmp_path / "fleet.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Serial", "Model", "Supplier", "Country"])
    ws.append(["SN1", "Antminer S21", "=HYPERLINK(\"http://x\",\"y\")", "MY"])
    ws.append(["SN2", "<script>alert(1)</script>", "Acme", "MY"])
    wb.save(path)
    # A formula cell is read as the value the spreadsheet saved; this one saved formula-like text.
    _set_cached_value(path, "C2", '=HYPERLINK("http://x","y")')
    proc = run_cli("audit", str(path), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26",
                   "--format", "json,html", "--bundled-lists-only", "--allow-missing", "mac")
    assert proc.returncode in (0, 1), proc.stderr
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<script>alert(1)</script>" not in html
    doc = read_report(tmp_path / "out")
    assert [f["asset"]["serial"] for f in doc["findings"] if f["rule_id"] == "DQ-006"] == ["SN1"]


def test_sheet_wider_than_any_inventory_is_refused(tmp_path):
    path = tmp_path / "wide.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Serial", "Model"] + [f"c{i}" for i in range(1200)])
    ws.append(["SN1", "Antminer S21"])
    wb.save(path)
    proc = run_cli("audit", str(path), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "1,202 columns" in proc.stderr and "Traceback" not in proc.stderr
