"""`auditor screen --file FILE [--column NAME]`: a vendor master screened like names given on
the command line; bad files are reported with file and line, exit 2, no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_lists

ARGS = ("--bundled-lists-only", "--as-of", "2026-06-01", "--json")


def _results(out: str) -> list[dict]:
    """The names screened, from the list `screen --json` prints."""
    return [r for r in json.loads(out) if "rejected" not in r]


def _rejected(out: str) -> list[dict]:
    """The rows of --file that were not screened, from the list `screen --json` prints (in
    the file's order among the names screened, with no "matches")."""
    rows = [r for r in json.loads(out) if "rejected" in r]
    assert all("matches" not in r for r in rows)
    return [{"file": r["source"]["file"], "line": r["source"]["line"], "reason": r["rejected"]} for r in rows]


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
    screened = _results(from_file[1])
    # Each name from the file says where it was read: the line of the vendor master.
    assert [q.pop("source") for q in screened] == [{"file": str(vendor), "line": n} for n in (1, 2, 4, 5)]
    assert screened == _results(from_args[1])
    assert [q["query"] for q in screened] == names
    # The blank line is reported with its number, on stderr: the JSON stays parseable.
    assert "1 blank line, empty cell or placeholder (line 3) holds no name: not screened" in from_file[2]


def test_a_csv_column_by_header_name(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor_master.csv"
    vendor.write_text('Vendor ID;Vendor Name;Country\n'
                      'V-1;"Sophgo Technologies Pte. Ltd";SG\n'
                      'V-2;"Canaan Inc.";CN\n'
                      'V-3;;US\n', encoding="utf-8")
    code, out, _ = _screen("--file", str(vendor), "--column", "vendor name")
    assert code == 1
    results = _results(out)
    assert [r["query"] for r in results] == ["Sophgo Technologies Pte. Ltd", "Canaan Inc."]
    assert {m["entity_id"] for m in results[0]["matches"]} >= {"curated:el:sophgo-technologies-pte-ltd"}
    assert results[1]["matches"] == []


@pytest.mark.parametrize(
    ("content", "column", "message"),
    [
        (b"id,name\n1,Acme\n2,\"Unclosed\n", "name", ":3: unexpected end of data"),
        (b"id,vendor\n1,Acme\n", "name", ":1: no column 'name' in the header (columns: 'id', 'vendor')"),
        (b"Acme\nBeta \xff Corp\n", None, ":2: not UTF-8 text (byte 0xff)"),
        (b"Acme\nBe\x00ta\n", None, ":2: binary data (a NUL byte), not text"),
        (b"\n\n", None, ": no names to screen (2 blank lines, empty cells or placeholders)"),
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


def test_a_stray_tab_in_one_name_of_a_list_is_no_table(tmp_path: Path) -> None:
    """The second new user: one tab on line 3 refused the whole list as a table, naming line 1."""
    vendor = tmp_path / "vendors.txt"
    vendor.write_text("Canaan Inc.\nSophgo Technologies Ltd.\nAcme\tVendor\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor))
    assert code == 1, err
    assert [(q["query"], q["source"]["line"]) for q in _results(out)] == [
        ("Canaan Inc.", 1), ("Sophgo Technologies Ltd.", 2), ("Acme\tVendor", 3)]


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
    assert code == 1 and [q["query"] for q in _results(out)] == ["BitRiver", "SOPHGO TECHNOLOGIES, LTD."]


def test_names_with_a_comma_are_still_one_name_per_line(tmp_path: Path) -> None:
    vendor = tmp_path / "vendors.txt"
    vendor.write_text("Sophgo Technologies, Ltd.\nCanaan, Inc.\n", encoding="utf-8")
    code, out, _ = _screen("--file", str(vendor))
    assert code == 1 and [q["query"] for q in _results(out)] == ["Sophgo Technologies, Ltd.", "Canaan, Inc."]


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
    assert [q["query"] for q in _results(out)] == ["SOPHGO TECHNOLOGIES LTD.", "Canaan Inc."]


def test_warnings_reach_stderr_with_json() -> None:
    """With only the bundled list, the JSON says nothing matched; stderr says why that is weak."""
    code, out, err = _screen("Hikvision")
    assert code == 0 and _results(out)[0]["matches"] == []
    assert "only the bundled curated list" in err, err


def test_a_formula_cell_is_screened_as_written_and_said_so(tmp_path: Path) -> None:
    vendor = tmp_path / "vendors.txt"
    vendor.write_text('Canaan Inc.\n=HYPERLINK("http://x","Huawei")\n', encoding="utf-8")
    code, out, err = _screen("--file", str(vendor))
    assert [q["query"] for q in _results(out)] == ["Canaan Inc.", '=HYPERLINK("http://x","Huawei")']
    assert "line(s) 2 start like a spreadsheet formula" in err, err


def test_ragged_rows_are_rejected_with_their_line_and_the_rest_is_screened(tmp_path: Path) -> None:
    """The tryout's ragged.csv: one short row and one long row used to abort the whole file."""
    vendor = tmp_path / "ragged.csv"
    vendor.write_text("ID,Vendor Name\n1\n2,BitRiver\n3,Sophgo,extra,cells\n4,Canaan Inc.,,\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 3, err  # BitRiver matched, but two rows were not screened: INCOMPLETE first
    assert [(q["query"], q["source"]["line"]) for q in _results(out)] == [("BitRiver", 3), ("Canaan Inc.", 5)]
    assert f"{vendor}:2: row has 1 field, the header has 2: rejected, not screened" in err
    assert f"{vendor}:4: row has 4 fields, the header has 2: rejected, not screened" in err
    # Trailing empty cells (row 5) are no fault, as in `audit`; the counts reconcile.
    assert f"{vendor}: 4 rows read: 2 screened, 2 rejected, 0 empty" in err
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
    results = _results(out)
    assert [q["query"] for q in results] == ["Sophgo Technologies Ltd.", "Acme Hosting LLC"]
    assert results[0]["matches"] and results[1]["matches"] == []
    first = 3 if content.startswith("sep=") else 2  # the sep= line is not the header
    assert [q["source"]["line"] for q in results] == [first, first + 1]


def test_a_cell_with_a_line_break_is_one_line_of_text_and_its_record_s_first_line_in_json(tmp_path: Path) -> None:
    vendor = tmp_path / "ml.csv"
    vendor.write_text('Vendor Name,Country\n"Acme Hosting\nMoscow, Russia",RU\n"Sophgo Technologies Ltd.\n",SG\n'
                      "Canaan Inc.,CN\n", encoding="utf-8")
    code, out, _ = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert [(q["query"], q["source"]["line"]) for q in _results(out)] == [
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
    assert [q["query"] for q in _results(out)] == ["Müller Bergbau GmbH", "BitRiver"]
    code, _, err = _screen("--file", str(vendor), "--encoding", "klingon")
    assert code == 2 and "--encoding 'klingon': unknown encoding" in err


# --- A screening that did not screen every row says so: exit 3, INCOMPLETE, rows in the JSON ---------


def test_a_row_split_by_an_unquoted_comma_is_not_a_clean_screening(tmp_path: Path) -> None:
    """The new user's vendor master: "Sophgo Technologies, Ltd." unquoted gives its row one
    field too many. The row used to be a warning on stderr and the screening exited 0 with a
    JSON that did not mention it: a listed party passed as clean."""
    vendor = tmp_path / "vendors.csv"
    vendor.write_text("Vendor ID,Vendor Name,Country\n"
                      "V-1,Canaan Inc.,CN\n"
                      "V-2,Sophgo Technologies, Ltd.,CN\n"
                      "\n"
                      "V-4,Acme Hosting LLC,US\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 3, err
    assert _rejected(out) == [{"file": str(vendor), "line": 3, "reason": "row has 4 fields, the header has 3"}]
    # In the file's order: the rejected row between the names around it.
    assert [r.get("query") for r in json.loads(out)] == ["Canaan Inc.", None, "Acme Hosting LLC"]
    assert (f"auditor: INCOMPLETE: {vendor}: 1 row rejected, not screened (line 3): a listed party there "
            "would pass unseen") in err
    # Every row accounted for: read = screened + rejected + empty.
    assert f"{vendor}: 4 rows read: 2 screened, 1 rejected, 1 empty" in err

    # The text output says it too, on stdout, where the results are read.
    done = run_cli("screen", "--file", str(vendor), "--column", "Vendor Name", "--bundled-lists-only",
                   "--as-of", "2026-06-01")
    assert done.returncode == 3
    assert f"{vendor}:3: NOT SCREENED: row has 4 fields, the header has 3" in done.stdout.splitlines()
    assert done.stdout.splitlines()[-1].startswith(f"INCOMPLETE: {vendor}: 1 row rejected, not screened")

    # Quoted as a CSV writer quotes it, the same file is complete and the party found.
    vendor.write_text(vendor.read_text(encoding="utf-8").replace("Sophgo Technologies, Ltd.",
                                                                 '"Sophgo Technologies, Ltd."'), encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 1 and _rejected(out) == [] and "INCOMPLETE" not in err
    assert len(_results(out)) == 3 and f"{vendor}: 4 rows read: 3 screened, 0 rejected, 1 empty" in err


def test_incomplete_comes_before_a_match_against_the_imported_1260h_list(tmp_path: Path, isolated_db) -> None:
    """As `audit` orders its exit codes: a screening that matched a listed party AND left rows
    unscreened exits 3, not 1 (a pipeline that treats 1 as "review the matches" must not miss
    that the file was not wholly screened); the match is still in the JSON."""
    done = run_cli("lists", "import", shared_lists() / "dod_1260h.csv", "--retrieved", "2026-05-20")
    assert done.returncode == 0, done.stderr
    vendor = tmp_path / "po_vendors.csv"
    vendor.write_text("PO,Supplier,Country\n"
                      'PO-1,"Semiconductor Manufacturing International Corporation",CN\n'
                      "PO-2,Huawei Technologies Co., Ltd.,CN\n"
                      "PO-3,Acme Hosting LLC,US\n", encoding="utf-8")
    done = run_cli("screen", "--file", str(vendor), "--column", "supplier", "--json", "--as-of", "2026-06-01")
    assert done.returncode == 3, done.stderr
    smic, acme = _results(done.stdout)
    assert smic["query"] == "Semiconductor Manufacturing International Corporation" and smic["matches"]
    assert "(1260H)" in smic["matches"][0]["list"]
    assert acme["matches"] == []
    assert _rejected(done.stdout) == [{"file": str(vendor), "line": 3, "reason": "row has 4 fields, the header has 3"}]
    done = run_cli("screen", "--file", str(vendor), "--column", "supplier", "--as-of", "2026-06-01")
    assert done.returncode == 3


def test_every_row_rejected_still_writes_the_json_and_exits_3(tmp_path: Path) -> None:
    vendor = tmp_path / "vendors.csv"
    vendor.write_text("ID,Vendor Name\n1,Sophgo Technologies, Ltd.\n2,BitRiver, AG\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 3, err
    assert _results(out) == []
    assert [r["line"] for r in _rejected(out)] == [2, 3]
    assert "Traceback" not in err


def test_names_on_the_command_line_alone_are_complete() -> None:
    code, out, err = _screen("Sophgo Technologies Ltd.")
    assert code == 1 and "INCOMPLETE" not in err
    assert [r["query"] for r in json.loads(out)] == ["Sophgo Technologies Ltd."]


# --- An over-long cell is one rejected row, not the end of the file --------------------------------------


@pytest.mark.parametrize("size", [5_000_000, 20_000_000], ids=["5MB", "over-the-csv-parser-limit"])
def test_an_over_long_name_is_a_rejected_row_and_the_rest_is_screened(tmp_path: Path, size: int) -> None:
    """A 5 MB cell on line 3 used to stop the whole file with exit 2; a cell over the CSV
    parser's own limit (16 MiB) too. Now: that row rejected with its line and reason."""
    vendor = tmp_path / "vendors.csv"
    vendor.write_text("ID,Vendor Name\n1,Canaan Inc.\n2," + "A" * size + "\n3,Sophgo Technologies Ltd.\n",
                      encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 3, err[:500]
    results = _results(out)
    assert [(q["query"], q["source"]["line"]) for q in results] == [("Canaan Inc.", 2), ("Sophgo Technologies Ltd.", 4)]
    assert results[1]["matches"]
    assert _rejected(out) == [{"file": str(vendor), "line": 3,
                               "reason": f"column 2: a name of {size:,} characters (at most 1,000)"}]
    assert len(err) < 5000  # the name itself is never echoed


def test_an_over_long_line_of_a_name_list_is_a_rejected_row(tmp_path: Path) -> None:
    vendor = tmp_path / "vendors.txt"
    vendor.write_text("Canaan Inc.\nBitRiver\n" + "x" * 5_000_000 + "\nSophgo Technologies Ltd.\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor))
    assert code == 3
    assert [q["query"] for q in _results(out)] == ["Canaan Inc.", "BitRiver", "Sophgo Technologies Ltd."]
    assert _rejected(out) == [{"file": str(vendor), "line": 3, "reason": "a name of 5,000,000 characters (at most 1,000)"}]


def test_the_csv_parser_limit_is_left_as_it_was(tmp_path: Path) -> None:
    """Reading a name file raises the (process-wide) CSV cell limit only while it reads."""
    import csv

    from auditor.screening.name_file import read_names

    vendor = tmp_path / "v.csv"
    vendor.write_text("Vendor Name\nCanaan Inc.\n", encoding="utf-8")
    before = csv.field_size_limit()
    assert [n.name for n in read_names(vendor, "vendor name").names] == ["Canaan Inc."]
    assert csv.field_size_limit() == before


def test_the_file_size_limit_still_refuses_the_whole_file(tmp_path: Path) -> None:
    from auditor.screening.name_file import MAX_FILE_BYTES

    big = tmp_path / "vendors.txt"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: refused by its size before a byte is read
    code, out, err = _screen("--file", str(big))
    assert code == 2 and out == ""
    assert "the name file is larger than 256 MiB, the most auditor reads" in err, err


# --- Workbooks are read as audit reads them; binary files are named as what they are ------------------


def _vendor_book(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Approved vendor master, Q4 2026"])  # a title above the table, as officers keep them
    ws.append([])
    ws.append(["Vendor ID", "Vendor Name", "Country"])
    ws.append([1001, "Canaan Inc.", "SG"])
    ws.append([1002, "Sophgo Technologies, Ltd.", "CN"])  # a comma is no problem in a cell
    ws.append([1003, None, "US"])
    ws.append([1004, "Acme Hosting LLC", "US"])
    ws.append([1005, 4711, "DE"])  # a number typed in the name column: screened as the digits shown
    old = wb.create_sheet("2019")
    old.append(["Vendor Name"])
    old.append(["BitRiver"])
    wb.save(path)


def test_a_workbook_is_screened_by_column_like_audit_reads_sheets(tmp_path: Path) -> None:
    book = tmp_path / "vendors.xlsx"
    _vendor_book(book)
    code, out, err = _screen("--file", str(book), "--column", "vendor name")
    assert code == 1, err
    results = _results(out)
    where = f"{book}!Vendors"  # as audit names a workbook's table
    assert [(q["query"], q["source"]) for q in results] == [
        ("Canaan Inc.", {"file": where, "line": 4}),
        ("Sophgo Technologies, Ltd.", {"file": where, "line": 5}),
        ("Acme Hosting LLC", {"file": where, "line": 7}),
        ("4711", {"file": where, "line": 8}),
    ]
    assert {m["entity_id"] for m in results[1]["matches"]} >= {"curated:el:sophgo-technologies-ltd"}
    assert f"{where}: 5 rows read: 4 screened, 0 rejected, 1 empty" in err and "INCOMPLETE" not in err
    # As audit says it: only the first sheet was read.
    assert f"{book}: read the first sheet 'Vendors' of 2 (Vendors, 2019); choose another with --sheet" in err
    assert "not UTF-8" not in err and "--encoding" not in err

    code, out, err = _screen("--file", str(book), "--column", "Vendor Name", "--sheet", "2019")
    assert code == 1, err
    assert [(q["query"], q["source"]["line"]) for q in _results(out)] == [("BitRiver", 2)]
    code, out, err = _screen("--file", str(book), "--column", "Vendor Name", "--sheet", "2020")
    assert code == 2 and out == ""
    assert f"auditor: error: {book}: no sheet named '2020' (sheets: Vendors, 2019)" in err


def test_a_workbook_without_column_names_its_columns(tmp_path: Path) -> None:
    book = tmp_path / "vendors.xlsx"
    _vendor_book(book)
    code, out, err = _screen("--file", str(book))
    assert code == 2 and out == ""
    assert err.startswith(f"auditor: error: {book}!Vendors:3: a workbook: name the column that holds the names with "
                          "--column (columns: 'Vendor ID', 'Vendor Name', 'Country')"), err


def test_an_over_long_workbook_cell_is_a_rejected_row(tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "vendors.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Vendor Name"])
    ws.append(["Canaan Inc."])
    ws.append(["A" * 30_000])  # Excel's own cell limit is 32,767 characters
    ws.append(["Sophgo Technologies Ltd."])
    wb.save(book)
    code, out, err = _screen("--file", str(book), "--column", "Vendor Name")
    assert code == 3, err
    assert _rejected(out) == [{"file": f"{book}!Sheet", "line": 3, "reason": "a name of 30,000 characters (at most 1,000)"}]
    assert [q["query"] for q in _results(out)] == ["Canaan Inc.", "Sophgo Technologies Ltd."]


def _binary_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    import gzip
    import shutil
    import sys

    book = tmp_path / "book.xlsx"
    _vendor_book(book)
    as_csv = tmp_path / "vendors.csv"  # a workbook saved under a text name
    shutil.copy(book, as_csv)
    packed = tmp_path / "vendors.txt.gz"
    packed.write_bytes(gzip.compress(b"Canaan Inc.\nBitRiver\n"))
    program = Path(os.path.realpath(sys.executable))  # a real ELF binary on Linux
    return {
        "xlsx-named-csv": (as_csv, ":1: a ZIP archive (an .xlsx or .ods workbook?), not text: give it its .xlsx/.ods "
                                   "name to screen a column of its first sheet (--column, --sheet), or save it as CSV UTF-8"),
        "gzip": (packed, ":1: a gzip-compressed file, not text: decompress it first (gunzip)"),
        "elf": (program, ":1: an ELF executable, not text: give a text file, CSV or workbook of names"),
    }


@pytest.mark.parametrize("kind", ["xlsx-named-csv", "gzip", "elf"])
def test_a_binary_file_is_named_as_what_it_is_not_given_encoding_advice(tmp_path: Path, kind: str) -> None:
    """`screen --file v.xlsx` (before workbooks were read), a gzip or a program used to say "not
    UTF-8 text ... give --encoding cp1252": advice that cannot help."""
    path, said = _binary_files(tmp_path)[kind]
    for column in ([], ["--column", "Vendor Name"]):
        code, out, err = _screen("--file", str(path), *column)
        assert code == 2 and out == ""
        assert err.startswith(f"auditor: error: {path}{said}"), err
        assert "cp1252" not in err and "UTF-8 text" not in err


def test_the_sheet_and_encoding_options_belong_to_their_kind_of_file(tmp_path: Path) -> None:
    book = tmp_path / "vendors.xlsx"
    _vendor_book(book)
    code, _, err = _screen("--file", str(book), "--column", "Vendor Name", "--encoding", "cp1252")
    assert code == 2 and "a workbook: --encoding applies to text files only" in err
    text = tmp_path / "vendors.txt"
    text.write_text("Canaan Inc.\n", encoding="utf-8")
    code, _, err = _screen("--file", str(text), "--sheet", "Vendors")
    assert code == 2 and f"--sheet 'Vendors': {text} is not a workbook" in err
    code, _, err = _screen("Canaan Inc.", "--sheet", "Vendors")
    assert code == 2 and "--sheet needs --file" in err


def test_placeholders_in_a_vendor_master_hold_no_name(tmp_path: Path) -> None:
    # ERP exports and spreadsheets fill a cell with no name with a dash, "N/A" or Excel's
    # "#N/A": counted with the empty cells, not as names screened.
    vendor = tmp_path / "vendor_master.csv"
    vendor.write_text("Vendor ID,Vendor Name\nV-1,Canaan Inc.\nV-2,-\nV-3,#N/A\nV-4,n/a\nV-5,TBD\nV-6,3M\n"
                      'V-7,"Co., Ltd."\n', encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "Vendor Name")
    assert code == 0
    assert [r["query"] for r in _results(out)] == ["Canaan Inc.", "3M"]
    # A legal form alone names no party either.
    assert "5 blank lines, empty cells or placeholders (lines 3, 4, 5, 6, 8) hold no name" in err


def test_the_json_written_item_by_item_is_what_the_whole_list_dumped_gives(tmp_path: Path) -> None:
    # `screen --json` writes its list item by item (a two-million-name file took 7.5 GB when
    # the text was built at once): the bytes must be those of the documented json.dumps.
    vendor = tmp_path / "vendors.csv"
    vendor.write_text("name,since\nSophgo Technologies Ltd.,2024\n\"Zürich \u2028Trading\",2020\nLtd.,2019\n"
                      "Acme Ltd,2018,a third field\nCanaan Inc.,2021\n", encoding="utf-8")
    code, out, err = _screen("--file", str(vendor), "--column", "name", "Bank Mellat")
    assert code == 3, err  # a row rejected: incomplete
    items = json.loads(out)
    assert out == json.dumps(items, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert [i.get("query") for i in items][:1] == ["Bank Mellat"] and any("rejected" in i for i in items)
