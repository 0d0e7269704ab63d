"""The columnar CSV path reads a file exactly as the streaming reader does, or declines it.

Differential: every file below is read both ways — `read_columnar` (with its size threshold
off) and the streaming `read_csv` path — and the results must be equal: the table's values
and codes, physical line numbers, rejected rows with their reasons, warnings and hashes, or
the same fatal message. Well-formed files must be taken by the columnar path (so these tests
cannot pass by it declining everything); files whose quoting, line breaks or bytes it cannot
prove it reads the same way must be declined.
"""

from __future__ import annotations

import shutil
import sys

import numpy as np
import pytest
from conftest import REPO, read_report, run_cli

from auditor.inventory import columnar_csv, csv_reader
from auditor.inventory.errors import InventoryError
from auditor.inventory.options import DEFAULT, ReadOptions
from auditor.inventory.table import TableBuilder

HEADER = "serial,manufacturer,model,assembly_country,manufacture_date,import_date,mac,supplier,declared_value_usd\n"


def rows(n: int, start: int = 0) -> str:
    out = []
    for i in range(start, start + n):
        mac = f"02:00:00:00:{i >> 8 & 255:02x}:{i & 255:02x}"
        out.append(f"SN{i:06d},Bitmain,Antminer S21,MY,2024-0{1 + i % 9}-1{i % 10},2025-01-0{1 + i % 9},{mac},"
                   f'"Acme, ""Trading"" LLC",{1000 + i}.50\n')
    return "".join(out)


def read(path, options=DEFAULT, columnar=False):
    """(table, info, rejected, warnings) or ("fatal", message) — read one way."""
    builder = TableBuilder()
    try:
        if columnar:
            with open(path, "rb") as fh:
                delimiter = csv_reader._delimiter(str(path), fh.read(65536), "utf-8", options)
            got = columnar_csv.read_columnar(str(path), builder, delimiter, options, min_bytes=0)
            if got is None:
                return None
            info, rejected, warnings = csv_reader._with_delimiter_note(str(path), delimiter, got)
        else:
            # The streaming reader: the threshold keeps small files off the columnar path.
            info, rejected, warnings = csv_reader.read_csv(str(path), builder, options=options)
    except InventoryError as exc:
        return ("fatal", str(exc))
    table = builder.build()
    columns = {name: (col.values, col.codes.tolist()) for name, col in table.columns.items()}
    return (columns, table.lines.tolist(), info, rejected, warnings)


def both(tmp_path, text: str | bytes, options=DEFAULT):
    path = tmp_path / "inv.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    assert path.stat().st_size < columnar_csv.MIN_BYTES
    return read(path, options), read(path, options, columnar=True)


TAKEN = {
    "clean, quoted cells with commas and doubled quotes": HEADER + rows(50),
    "BOM and CRLF": "\ufeff" + (HEADER + rows(20)).replace("\n", "\r\n"),
    "no final line break": (HEADER + rows(5)).rstrip("\n"),
    "rejected cells: country, date, amount, empty model, control character, long serial": HEADER + rows(3)
    + "SN9,Bitmain,Antminer S21,ZZ,2024-02-30,2025-01-01,,x,12.5.5\n"
    + "SN10,Bitmain,,MY,2024-01-01,2025-01-01,,x,1\n"
    + "SN11\x07,Bitmain,S21,MY,2024-01-01,2025-01-01,,x,1\n"
    + "S" * 200 + ",Bitmain,S21,MY,2024-01-01,2025-01-01,,x,1\n" + rows(3, 100),
    "day/month decided on a later line": HEADER.replace("import_date", "site")
    + "A1,Bitmain,S21,MY,3/4/2024,x,,y,1\nA2,Bitmain,S21,MY,25/4/2024,x,,y,1\nA3,Bitmain,S21,MY,4/5/2024,x,,y,1\n",
    "dates written both ways": HEADER + "A1,B,S21,MY,25/4/2024,4/25/2024,,y,1\n",
    "every date ambiguous": HEADER + "A1,B,S21,MY,3/4/2024,4/3/2024,,y,1\n",
    "non-ASCII names, spaces around cells": HEADER
    + "SN1,Битмайн, Antminer S21 ,中国,2024-01-01,2025-01-01,,Øst AS,1\n" + rows(2),
    "many serials and MACs, some needing validation": HEADER + rows(3000)
    + "SN_X ,B,S21,MY,2024-01-01,2025-01-01,AA-BB-CC-DD-EE-FF,x,1\n"
    + "SN\u00e9,B,S21,MY,2024-01-01,2025-01-01,not a mac,x,1\n"
    + "SN\x01,B,S21,MY,2024-01-01,2025-01-01,0a:0b:0c:0d:0e:0f,x,1\n"
    + "S" * 129 + ",B,S21,MY,2024-01-01,2025-01-01,0a:0b:0c:0d:0e:0e,x,1\n",  # one over the serial limit
    "semicolon delimiter": (HEADER + rows(5)).replace(",", ";").replace('"Acme; ""Trading"" LLC"', "Acme"),
    "header only": HEADER,
}

DECLINED = {
    "blank line between rows": HEADER + rows(2) + "\n" + rows(2, 10),
    "line break inside a quoted cell": HEADER + 'SN1,B,S21,MY,2024-01-01,2025-01-01,,"two\nlines",1\n' + rows(2),
    "lone CR line breaks": (HEADER + rows(3)).replace("\n", "\r"),
    "text after a closing quote": HEADER + 'SN1,B,S21,MY,2024-01-01,2025-01-01,,"Acme"x,1\n',
    "quote inside an unquoted cell": HEADER + 'SN1,B,S21 "XP",MY,2024-01-01,2025-01-01,,x,1\n',
    "unterminated quote": HEADER + 'SN1,B,S21,MY,2024-01-01,2025-01-01,,"Acme,1\n',
    "ragged row": HEADER + rows(2) + "SN9,B,S21\n",
    "extra blank cells": HEADER + rows(2).replace("\n", ",,\n"),
    "NUL byte": HEADER + "SN1,Bit\x00main,S21,MY,2024-01-01,2025-01-01,,x,1\n",
    "whitespace-only line": HEADER + rows(1) + "   \n" + rows(1, 5),
}


@pytest.fixture(params=["one block", "small blocks"])
def block_size(request, monkeypatch):
    """The pre-read scan cuts files into blocks at line ends, and pyarrow parses blocks with a
    dictionary each, unified after: small blocks test the seams of both."""
    if request.param != "one block":
        monkeypatch.setattr(columnar_csv, "_BLOCK", 97)
        monkeypatch.setattr(columnar_csv, "_ARROW_BLOCK", 1024)


@pytest.mark.parametrize("case", list(TAKEN))
def test_well_formed_files_are_read_identically_by_the_columnar_path(tmp_path, case, block_size):
    streamed, columnar = both(tmp_path, TAKEN[case])
    if case == "header only":
        assert columnar is None  # nothing to read: the streaming reader explains
        return
    assert columnar is not None, "the columnar path declined a well-formed file"
    assert columnar == streamed


def test_several_files_share_one_dictionary_per_column(tmp_path, block_size):
    """Two files of one run: the second repeats some serials and MACs of the first (a rig
    listed twice) and adds its own. Read both columnar, the codes and values equal both read
    streaming — near-unique columns get their codes in bulk, without the dict, for the first file."""
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(HEADER + rows(3000), encoding="utf-8")
    second.write_text(HEADER + rows(1500, 2000), encoding="utf-8")

    def read_both(columnar: bool):
        builder = TableBuilder()
        for path in (first, second):
            if columnar:
                assert columnar_csv.read_columnar(str(path), builder, ",", DEFAULT, min_bytes=0) is not None
            else:
                csv_reader.read_csv(str(path), builder, options=DEFAULT)
        table = builder.build()
        return {name: (col.values, col.codes.tolist()) for name, col in table.columns.items()}

    streamed, columnar = read_both(False), read_both(True)
    assert columnar == streamed
    serials = streamed["serial"][0]
    assert len(serials) == 1 + 3500  # None, then SN000000 … SN003499 once each


@pytest.mark.parametrize("case", list(DECLINED))
def test_files_it_cannot_prove_are_declined(tmp_path, case, block_size):
    streamed, columnar = both(tmp_path, DECLINED[case])
    assert columnar is None
    assert streamed is not None


def test_invalid_utf8_is_declined(tmp_path):
    streamed, columnar = both(tmp_path, HEADER.encode() + b"SN1,M\xfcller,S21,MY,2024-01-01,2025-01-01,,x,1\n")
    assert columnar is None and streamed[0] == "fatal" and "not valid UTF-8" in streamed[1]


def test_a_column_map_and_date_format_are_applied_the_same(tmp_path):
    text = ("Rig Tag,Maker,Miner Type,Made In,Built\n"
            + "".join(f"R{i},Canaan,Avalon A1466,CN,{1 + i % 28}/0{1 + i % 9}/2024\n" for i in range(200)))
    options = ReadOptions(column_map={"Rig Tag": "serial", "Miner Type": "model", "Made In": "assembly_country",
                                      "Built": "manufacture_date", "Maker": "manufacturer"},
                          date_format="MM/DD/YYYY")
    streamed, columnar = both(tmp_path, text, options)
    assert columnar is not None and columnar == streamed
    assert any(r.reason.startswith("invalid date") for r in streamed[3])  # 13/01/2024 is no MM/DD date


def test_a_large_file_audits_the_same_either_way(tmp_path):
    """Through the CLI: a file above the threshold (columnar) and the same rows with a trailing
    blank line (which sends it to the streaming reader) give the same report.json."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate_inventory import generate

    big = tmp_path / "fleet.csv"
    with big.open("w", encoding="utf-8", newline="") as f:
        generate(50_000, f)
    assert big.stat().st_size > columnar_csv.MIN_BYTES
    other = tmp_path / "b" / "fleet.csv"
    other.parent.mkdir()
    shutil.copy(big, other)
    with other.open("a", encoding="utf-8") as f:
        f.write("\n")
    docs = []
    for path, out in ((big, tmp_path / "o1"), (other, tmp_path / "o2")):
        proc = run_cli("audit", path, "--out", out, "--as-of", "2026-11-26", "--format", "json", "--no-record",
                       "--bundled-lists-only", "-q", env={"AUDITOR_DB": f"sqlite:///{tmp_path}/a.db"})
        assert proc.returncode == 1, proc.stderr
        doc = read_report(out)
        for key in ("audit_id", "inputs"):
            doc.pop(key)
        docs.append(doc)
    assert docs[0]["summary"]["rows_read"] == 50_000
    assert docs[0] == docs[1]


def test_conditions_in_bulk_equal_the_per_value_verdicts():
    """`exists` and `regex` on a column of many distinct values (serials, MACs) are decided in
    bulk — `regex` in pyarrow's RE2 — with the same verdicts as one value at a time."""
    from datetime import date

    from auditor.engine.checks.base import Where
    from auditor.engine.conditions import parse_condition
    from auditor.inventory.table import table_from_rows

    values = [f"02:00:00:00:{i >> 8:02x}:{i & 255:02x}" for i in range(1500)]
    values += ["AA:BB:CC:DD:EE:FF", "02:00:00:00:00:0g", "é:00", "", None, "x\ny", "02-00-00-00-00-01"]
    table = table_from_rows([{"mac": v, "model": "S21"} for v in values])
    for spec in ({"field": "mac", "exists": True}, {"field": "mac", "exists": False},
                 {"field": "mac", "regex": "^([0-9a-f]{2}:){5}[0-9a-f]{2}$"},
                 {"field": "mac", "regex": "^[A-F:]+$", "ignore_case": True},
                 {"not": {"field": "mac", "regex": "é|\\n"}}):
        cond = parse_condition(spec, Where("test.toml", ""))
        leaf = cond.shape[1] if cond.shape[0] == "not" else cond
        assert leaf.bulk is not None  # the bulk path is the one under test
        bulk = cond.mask(table, date(2026, 1, 1))
        one_by_one = np.array([cond(table.row(i), date(2026, 1, 1)) for i in range(len(table))])
        assert bulk.tolist() == one_by_one.tolist(), spec
        assert bulk.any() and not bulk.all()


@pytest.mark.parametrize("case", ["rejected cells: country, date, amount, empty model, control character, long serial",
                                  "many serials and MACs, some needing validation"])
def test_rejected_rows_keep_the_same_party_names_and_serial_both_ways(tmp_path, case):
    """What a rejected row keeps to be screened (engine/rejected.py): the columnar path has let
    the raw cells go and recovers them from their codes; the streaming reader re-reads them."""
    streaming, columnar = both(tmp_path, TAKEN[case])
    assert streaming == columnar
    rejected = streaming[3]
    assert rejected and rejected == columnar[3]
    for r in rejected:
        assert dict(r.parties).get("supplier") == "x", r
        assert dict(r.parties).get("manufacturer") in ("Bitmain", "B"), r
        if r.column == "serial":
            assert r.serial is None, r  # the serial at fault is not kept
        else:
            assert r.serial is not None and r.serial.startswith("SN"), r
