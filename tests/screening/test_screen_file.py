"""`auditor screen --file FILE [--column NAME]`: a vendor master screened like names given on
the command line; bad files are reported with file and line, exit 2, no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli

ARGS = ("--bundled-lists-only", "--as-of", "2026-06-01", "--json")


def _screen(*args: str):
    done = run_cli("screen", *args, *ARGS)
    return done.returncode, done.stdout, done.stderr


def test_one_name_per_line_gives_the_command_line_output(tmp_path: Path) -> None:
    names = ["Canaan Inc.", "SOPHGO TECHNOLOGIES LTD.", "Bitmain Technologies Ltd.", "BitRiver"]
    vendor = tmp_path / "vendors.txt"
    vendor.write_text("\ufeff" + "\n".join(names[:2]) + "\n\n  " + names[2] + "  \r\n" + names[3] + "\n", encoding="utf-8")
    from_file = _screen("--file", str(vendor))
    from_args = _screen(*names)
    assert from_file[0] == from_args[0] == 1
    screened = json.loads(from_file[1])
    # Each name from the file says where it was read: the line of the vendor master.
    assert [q.pop("source") for q in screened] == [{"file": str(vendor), "line": n} for n in (1, 2, 4, 5)]
    assert screened == json.loads(from_args[1])
    assert [q["query"] for q in screened] == names
    # The blank line is reported with its number, on stderr: the JSON stays parseable.
    assert "1 blank line or empty cell (line 3) holds no name: not screened" in from_file[2]


def test_a_csv_column_by_header_name(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor_master.csv"
    vendor.write_text('Vendor ID;Vendor Name;Country\n'
                      'V-1;"Sophgo Technologies Pte. Ltd";SG\n'
                      'V-2;"Canaan Inc.";CN\n'
                      'V-3;;US\n', encoding="utf-8")
    code, out, _ = _screen("--file", str(vendor), "--column", "vendor name")
    assert code == 1
    results = json.loads(out)
    assert [r["query"] for r in results] == ["Sophgo Technologies Pte. Ltd", "Canaan Inc."]
    assert {m["entity_id"] for m in results[0]["matches"]} >= {"curated:el:sophgo-technologies-pte-ltd"}
    assert results[1]["matches"] == []


@pytest.mark.parametrize(
    ("content", "column", "message"),
    [
        (b"id,name\n1,Acme\n2,\"Unclosed\n", "name", ":3: unexpected end of data"),
        (b"id,vendor\n1,Acme\n", "name", ":1: no column 'name' in the header (columns: 'id', 'vendor')"),
        (b"Acme\nBeta \xff Corp\n", None, ":2: not UTF-8 text (byte 0xff)"),
        (b"Acme\nBe\x00ta\n", None, ":2: a NUL byte"),
        (b"\n\n", None, ": no names to screen (2 blank lines or empty cells)"),
    ],
)
def test_bad_files_name_the_file_and_line(tmp_path: Path, content: bytes, column: str | None, message: str) -> None:
    path = tmp_path / ("names.csv" if column else "names.txt")
    path.write_bytes(content)
    args = ["--file", str(path)] + (["--column", column] if column else [])
    code, out, err = _screen(*args)
    assert code == 2 and out == ""
    assert err.startswith(f"auditor: error: {path}{message}"), err
    assert "Traceback" not in err


def test_column_without_file_is_a_usage_error() -> None:
    code, _, err = _screen("--column", "name")
    assert code == 2 and "--column needs --file" in err


def test_a_csv_file_without_column_is_refused_not_screened_line_by_line(tmp_path: Path) -> None:
    """Whole lines of a spreadsheet export ("V1,Huawei Technologies Co Ltd,CN") match nothing:
    screening them would report a sanctioned vendor as clean."""
    vendor = tmp_path / "Vendor Master.CSV"
    vendor.write_text("Vendor ID,Vendor Name,Country\nV1,SOPHGO TECHNOLOGIES LTD.,CN\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor))
    assert code == 2 and out == ""
    assert err.startswith(f"auditor: error: {vendor}:1: a table: name the column that holds the names with --column "
                          "(columns: 'Vendor ID', 'Vendor Name', 'Country')"), err


@pytest.mark.parametrize("content", [
    # Excel's "Text (Tab delimited)", saved as .txt
    "ID\tVendor Name\tCountry\r\n1\tBitRiver\tRU\r\n2\tSOPHGO TECHNOLOGIES, LTD.\tCN\r\n",
    # a comma-separated export saved as .txt: three fields on every line
    "ID,Vendor Name,Country\n1,BitRiver,RU\n2,\"SOPHGO TECHNOLOGIES, LTD.\",CN\n",
    # Excel's semicolon export with its "sep=;" first line, saved as .txt
    "sep=;\r\nID;Vendor Name;Country\r\n1;BitRiver;RU\r\n2;SOPHGO TECHNOLOGIES, LTD.;CN\r\n",
])
def test_a_table_saved_as_text_is_refused_not_screened_line_by_line(tmp_path: Path, content: str) -> None:
    vendor = tmp_path / "export.txt"
    vendor.write_text(content, encoding="utf-8")
    code, out, err = _screen("--file", str(vendor))
    assert code == 2 and out == ""
    assert "a table: name the column that holds the names with --column (columns: 'ID', 'Vendor Name', " in err, err
    code, out, _ = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 1 and [q["query"] for q in json.loads(out)] == ["BitRiver", "SOPHGO TECHNOLOGIES, LTD."]


def test_names_with_a_comma_are_still_one_name_per_line(tmp_path: Path) -> None:
    vendor = tmp_path / "vendors.txt"
    vendor.write_text("Sophgo Technologies, Ltd.\nCanaan, Inc.\n", encoding="utf-8")
    code, out, _ = _screen("--file", str(vendor))
    assert code == 1 and [q["query"] for q in json.loads(out)] == ["Sophgo Technologies, Ltd.", "Canaan, Inc."]


def test_a_device_is_refused_before_it_is_read(tmp_path: Path) -> None:
    code, out, err = _screen("--file", "/dev/zero")
    assert code == 2 and out == ""
    assert "/dev/zero: cannot read: is a character device, not a regular file" in err, err
    fifo = tmp_path / "names.fifo"
    os.mkfifo(fifo)  # nobody writes: reading would block for ever
    code, _, err = _screen("--file", str(fifo))
    assert code == 2 and "is a FIFO (named pipe), not a regular file" in err, err


def test_utf16_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    """What a spreadsheet saves as "Unicode text"."""
    vendor = tmp_path / "vendors.txt"
    vendor.write_bytes("SOPHGO TECHNOLOGIES LTD.\r\nCanaan Inc.\r\n".encode("utf-16"))
    code, out, _ = _screen("--file", str(vendor))
    assert code == 1
    assert [q["query"] for q in json.loads(out)] == ["SOPHGO TECHNOLOGIES LTD.", "Canaan Inc."]


def test_warnings_reach_stderr_with_json() -> None:
    """With only the bundled list, the JSON says nothing matched; stderr says why that is weak."""
    code, out, err = _screen("Hikvision")
    assert code == 0 and json.loads(out)[0]["matches"] == []
    assert "only the bundled curated list" in err, err


def test_a_formula_cell_is_screened_as_written_and_said_so(tmp_path: Path) -> None:
    vendor = tmp_path / "vendors.txt"
    vendor.write_text('Canaan Inc.\n=HYPERLINK("http://x","Huawei")\n', encoding="utf-8")
    code, out, err = _screen("--file", str(vendor))
    assert [q["query"] for q in json.loads(out)] == ["Canaan Inc.", '=HYPERLINK("http://x","Huawei")']
    assert "line(s) 2 start like a spreadsheet formula" in err, err


def test_ragged_rows_are_rejected_with_their_line_and_the_rest_is_screened(tmp_path: Path) -> None:
    """The tryout's ragged.csv: one short row and one long row used to abort the whole file."""
    vendor = tmp_path / "ragged.csv"
    vendor.write_text("ID,Vendor Name\n1\n2,BitRiver\n3,Sophgo,extra,cells\n4,Canaan Inc.,,\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 1, err
    assert [(q["query"], q["source"]["line"]) for q in json.loads(out)] == [("BitRiver", 3), ("Canaan Inc.", 5)]
    assert f"{vendor}:2: row has 1 field, the header has 2: rejected, not screened" in err
    assert f"{vendor}:4: row has 4 fields, the header has 2: rejected, not screened" in err
    # Trailing empty cells (row 5) are no fault, as in `audit`; the counts reconcile.
    assert f"{vendor}: 4 names read, 2 screened, 2 rejected" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "column"),
    [
        ("Vendor Name|Country\nSophgo Technologies Ltd.|CN\nAcme Hosting LLC|US\n", "Vendor Name"),  # pipe
        ("sep=;\r\nVendor Name;Country\r\nSophgo Technologies Ltd.;CN\r\nAcme Hosting LLC;US\r\n", "vendor name"),
        ("ID\tVendor_Name\tCountry\n1\tSophgo Technologies Ltd.\tCN\n2\tAcme Hosting LLC\tUS\n", "vendor name"),
        ("Vendor ID,VENDOR-NAME,Country\nV1,Sophgo Technologies Ltd.,CN\nV2,Acme Hosting LLC,US\n", "vendor_name"),
    ],
    ids=["pipe", "excel-sep-line", "tab-underscore", "punctuation"],
)
def test_delimiters_and_column_names_as_audit_reads_them(tmp_path: Path, content: str, column: str) -> None:
    vendor = tmp_path / "vendors.csv"
    vendor.write_text(content, encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", column)
    assert code == 1, err
    results = json.loads(out)
    assert [q["query"] for q in results] == ["Sophgo Technologies Ltd.", "Acme Hosting LLC"]
    assert results[0]["matches"] and results[1]["matches"] == []
    first = 3 if content.startswith("sep=") else 2  # the sep= line is not the header
    assert [q["source"]["line"] for q in results] == [first, first + 1]


def test_a_cell_with_a_line_break_is_one_line_of_text_and_its_record_s_first_line_in_json(tmp_path: Path) -> None:
    vendor = tmp_path / "ml.csv"
    vendor.write_text('Vendor Name,Country\n"Acme Hosting\nMoscow, Russia",RU\n"Sophgo Technologies Ltd.\n",SG\n'
                      "Canaan Inc.,CN\n", encoding="utf-8")
    code, out, _ = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert [(q["query"], q["source"]["line"]) for q in json.loads(out)] == [
        ("Acme Hosting\nMoscow, Russia", 2), ("Sophgo Technologies Ltd.", 4), ("Canaan Inc.", 6)]
    done = run_cli("screen", "--file", str(vendor), "--column", "Vendor Name", "--bundled-lists-only",
                   "--as-of", "2026-06-01")
    lines = done.stdout.splitlines()
    assert "Acme Hosting Moscow, Russia: no match at or above 0.70 on 3 list(s) as of 2026-06-01" in lines
    assert all(not line.startswith(("Moscow", '"')) for line in lines), lines


def test_encoding_option_reads_a_windows_file(tmp_path: Path) -> None:
    vendor = tmp_path / "vendors.txt"
    vendor.write_bytes("Müller Bergbau GmbH\nBitRiver\n".encode("cp1252"))
    code, _, err = _screen("--file", str(vendor))
    assert code == 2 and f"{vendor}:1: not UTF-8 text (byte 0xfc) (it looks like Windows-1252/Latin-1: give --encoding cp1252)" in err
    code, out, err = _screen("--file", str(vendor), "--encoding", "cp1252")
    assert code == 1, err
    assert [q["query"] for q in json.loads(out)] == ["Müller Bergbau GmbH", "BitRiver"]
    code, _, err = _screen("--file", str(vendor), "--encoding", "klingon")
    assert code == 2 and "--encoding 'klingon': unknown encoding" in err
