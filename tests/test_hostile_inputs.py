"""A corpus of broken and hostile inventories: each gets a clear message and the documented
exit code, never a traceback; markup and formulas stay inert in the reports."""

from __future__ import annotations

import pytest
from conftest import read_report, run_cli

HEADER = "serial,manufacturer,model,assembly_country,supplier,site\n"
GOOD = "SN1,Bitmain,Antminer S21,MY,Acme LLC,Rockdale TX\n"
# Most inventories here lack a country column on purpose: acknowledged, so the audit is complete.
RULES = ["--rules", "rules/data_quality", "--rules", "rules/origin", "--allow-missing", "assembly_country"]


def audit(tmp_path, content: bytes, *extra: str, name: str = "inv.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out"
    proc = run_cli("audit", str(path), "--out", str(out), "--as-of", "2026-11-26", "--fail-on", "critical", *RULES, *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, path, out


FATAL = [
    # (case, content, expected message fragment, expected line:column or line in the message)
    ("empty file", b"", "empty file", ":1:"),
    ("header only", HEADER.encode(), "no data rows", ":2:"),
    ("header and blank lines only", (HEADER + "\n\n").encode(), "no data rows", None),
    ("binary bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file", ":3:1:"),
    ("NUL byte in a row", (HEADER + "SN1,Bit\x00main,S21,MY,x,y\n").encode(), "NUL bytes", ":2:8:"),
    ("xlsx workbook", b"PK\x03\x04\x14\x00\x06\x00", "xlsx", ":1:1:"),
    # Named as what they are, never "not valid UTF-8 ... give --encoding cp1252" (auditor/filekind.py).
    ("gzip download", b"\x1f\x8b\x08\x08\xa3\x8e\x5fg\x00\x03inv.csv\x00\xed\x9d", "a gzip-compressed file, not text; "
     "decompress it first (gunzip)", ":1:1:"),
    ("ELF program", b"\x7fELF\x02\x01\x01\x00\x00\x00", "an ELF executable, not text", ":1:1:"),
    ("cp1252 bytes", HEADER.encode() + b"SN1,M\xfcller GmbH,S21,DE,x,y\n", "not valid UTF-8", ":2:6:"),
    ("UTF-16 file, header only", HEADER.encode("utf-16"), "no data rows", ":2:"),
    ("duplicate headers", b"serial,SN,model\nA,B,S21\n", "both mean 'serial'", ":1:2:"),
    ("no model column", b"serial,manufacturer\nA,Bitmain\n", "no 'model' column", ":1:"),
    ("unterminated quote", (HEADER + 'SN1,"Bitmain,S21,MY,x,y\n').encode(), "malformed CSV", ":2:"),
]


@pytest.mark.parametrize("case,content,fragment,where", FATAL, ids=[c[0] for c in FATAL])
def test_fatal_inputs_exit_2_with_one_line_message(tmp_path, case, content, fragment, where):
    proc, path, out = audit(tmp_path, content)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert fragment in lines[0]
    assert str(path) in lines[0]
    if where:
        assert f"{path}{where}" in lines[0]
    assert not (out / "report.json").exists(), "nothing may be evaluated on a fatal input"


def test_missing_file_and_directory_exit_2(tmp_path):
    proc = run_cli("audit", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    proc = run_cli("audit", str(tmp_path), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "is a directory" in proc.stderr


def report(out):
    return read_report(out)


def test_ragged_rows_are_rejected_with_their_line(tmp_path):
    content = HEADER + GOOD + "SN2,Bitmain,S21\n" + "SN3,Bitmain,S21,MY,x,y,extra\n" + "SN4,Bitmain,S21,MY,x,y,,\n"
    proc, path, out = audit(tmp_path, content.encode())
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    inv = doc["inputs"]["inventory"][0]
    assert (inv["rows_read"], inv["rows_audited"], inv["rows_rejected"]) == (4, 2, 2)
    assert [(r["line"], r["reason"]) for r in doc["rejected_rows"]] == [
        (3, "row has 3 fields, the header has 6"),
        (4, "row has 7 fields, the header has 6"),
    ]


def test_unknown_columns_are_reported_not_fatal(tmp_path):
    content = "serial,model,favourite colour\nSN1,S21,blue\n"
    proc, path, out = audit(tmp_path, content.encode())
    assert proc.returncode == 0
    assert "favourite colour" in proc.stderr
    assert report(out)["inputs"]["inventory"][0]["ignored_columns"] == ["favourite colour"]


def test_a_1mb_cell_rejects_its_row_only(tmp_path):
    big = "A" * (1024 * 1024)
    content = HEADER + GOOD + f"SN2,{big},S21,MY,x,y\n" + "SN3,Bitmain,S21,MY,x,y\n"
    proc, path, out = audit(tmp_path, content.encode())
    assert proc.returncode == 0
    doc = report(out)
    assert doc["rejected_rows"] == [
        # The serial kept to find the row; the manufacturer at fault is not kept to be screened.
        {"file": path.name, "line": 3, "column": "manufacturer",
         "reason": "value is 1,048,576 characters long (limit 256)", "serial": "SN2"}
    ]
    assert doc["summary"]["assets"] == 2


def test_every_row_rejected_is_incomplete_not_clean(tmp_path):
    content = HEADER + "SN1,Bitmain,S21,ZZ,x,y\n" + "SN2,Bitmain,,MY,x,y\n"
    proc, path, out = audit(tmp_path, content.encode())
    assert proc.returncode == 3, proc.stderr
    assert report(out)["status"] == "incomplete"


def test_strict_turns_a_rejected_row_into_exit_3(tmp_path):
    content = HEADER + GOOD + "SN2,Bitmain,S21,ZZ,x,y\n"
    proc, path, out = audit(tmp_path, content.encode(), "--strict")
    assert proc.returncode == 3
    doc = report(out)
    assert doc["status"] == "incomplete"
    assert doc["incomplete_reasons"] == ["1 row(s) rejected under --strict"]
    assert "INCOMPLETE" in (out / "report.html").read_text()


def test_bom_and_crlf_are_accepted_with_right_line_numbers(tmp_path):
    content = ("\ufeff" + HEADER + GOOD + "SN2,Bitmain,S21,ZZ,x,y\n").replace("\n", "\r\n")
    proc, path, out = audit(tmp_path, content.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    assert doc["summary"]["assets"] == 1
    assert doc["rejected_rows"][0]["line"] == 3


def test_multiline_cells_keep_physical_line_numbers(tmp_path):
    content = HEADER + 'SN1,Bitmain,S21,MY,x,"Rockdale\nBuilding 2\nRow 7"\n' + "SN2,Bitmain,S21,ZZ,x,y\n"
    proc, path, out = audit(tmp_path, content.encode())
    assert report(out)["rejected_rows"][0]["line"] == 5


def test_codes_stay_strings(tmp_path):
    content = "serial,model,assembly_country,hts_code\nSN1,S21,NO,8543.70\nSN2,S21,no,854370\n"
    proc, path, out = audit(tmp_path, content.encode())
    assert proc.returncode == 0, proc.stderr
    from auditor.inventory import read_inventories

    table, *_ = read_inventories([str(path)])
    assert [table.row(i)["assembly_country"] for i in range(2)] == ["NO", "NO"]
    assert [table.row(i)["hts_code"] for i in range(2)] == ["8543.70", "8543.70"]


def test_markup_and_formulas_stay_inert_in_html_and_json(tmp_path):
    content = (
        HEADER
        + 'SN1,"<script>window.__pwned=1</script>",S21,CN,"=HYPERLINK(""http://x"",""y"")",'
        + '"""><img src=x onerror=alert(1)>"\n'
    )
    proc, path, out = audit(tmp_path, content.encode(), "--format", "json,html")
    html = (out / "report.html").read_text()
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<img src=x" not in html
    doc = report(out)
    rules = {f["rule_id"] for f in doc["findings"]}
    assert "DQ-006" in rules  # the formula cell is reported as a data-quality finding


def test_a_row_with_several_bad_fields_lists_every_problem(tmp_path):
    content = "serial,model,assembly_country,manufacture_date\nSN1,S21,MY,2025-01-01\nSN2,,ZZ,31/13/2024\n"
    proc, path, out = audit(tmp_path, content.encode())
    (row,) = report(out)["rejected_rows"]
    assert row["line"] == 3
    assert row["reason"] == (
        "assembly_country: unknown country 'ZZ' (expected an ISO 3166-1 code such as CN, MY, US); "
        "manufacture_date: invalid date '31/13/2024' (no month 31 or 13); model: model is empty (required)"
    )


def test_the_same_file_given_twice_is_warned_about(tmp_path):
    inv = tmp_path / "inv.csv"
    inv.write_bytes((HEADER + GOOD).encode())
    proc = run_cli("audit", str(inv), str(inv), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26", *RULES)
    assert "has the same content as" in proc.stderr
