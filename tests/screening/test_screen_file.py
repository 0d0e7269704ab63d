"""`auditor screen --file FILE [--column NAME]`: a vendor master screened like names given on
the command line; bad files are reported with file and line, exit 2, no traceback."""

from __future__ import annotations

import json
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
    assert json.loads(from_file[1]) == json.loads(from_args[1])
    assert [q["query"] for q in json.loads(from_file[1])] == names


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
        (b"id,name\n1,Acme\n2,Beta,extra\n", "name", ":3: row has 3 fields, the header has 2"),
        (b"id,vendor\n1,Acme\n", "name", ":1: no column 'name' in the header (columns: 'id', 'vendor')"),
        (b"Acme\nBeta \xff Corp\n", None, ":2: not UTF-8 text (byte 0xff)"),
        (b"Acme\nBe\x00ta\n", None, ":2: a NUL byte"),
        (b"\n\n", None, ": no names to screen (2 blank lines or empty cells)"),
    ],
)
def test_bad_files_name_the_file_and_line(tmp_path: Path, content: bytes, column: str | None, message: str) -> None:
    path = tmp_path / "names.csv"
    path.write_bytes(content)
    args = ["--file", str(path)] + (["--column", column] if column else [])
    code, out, err = _screen(*args)
    assert code == 2 and out == ""
    assert err.startswith(f"auditor: error: {path}{message}"), err
    assert "Traceback" not in err


def test_column_without_file_is_a_usage_error() -> None:
    code, _, err = _screen("--column", "name")
    assert code == 2 and "--column needs --file" in err
