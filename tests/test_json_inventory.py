"""JSON and JSON Lines inventories through the real CLI: the same rigs give the same findings
as the CSV, lines point at the right place, and broken files fail as clearly as broken CSVs."""

from __future__ import annotations

import json
import re

from conftest import read_report, run_cli

# Most inventories here have no country key: acknowledged, so the audit is complete.
RULES = ["--rules", "rules/data_quality", "--rules", "rules/origin", "--fail-on", "critical",
         "--allow-missing", "assembly_country"]

# Six rigs that exercise both rule packs: a duplicate serial (DQ-002), a malformed MAC (DQ-003),
# a future manufacture date (DQ-004), a China assembly claim (ORIG-001), an unknown country
# (rejected) and Norway as "NO" (kept, no finding).
CSV = """serial,manufacturer,model,assembly_country,manufacture_date,mac,supplier,hts_code,site
SN1,Bitmain,Antminer S21,MY,2024-02-21,02:1c:4f:00:01:07,Acme LLC,8543.70.9960,Rockdale TX
SN1,Bitmain,Antminer S21,MY,2024-02-21,02:1c:4f:00:01:08,Acme LLC,8543.70.9960,Rockdale TX
SN3,Bitmain,Antminer S21,MY,2024-02-21,02:1c:4f:00:01,Acme LLC,8543.70,Rockdale TX
SN4,MicroBT,Whatsminer M30S++,TH,2027-01-05,02:1c:4f:00:01:09,Acme LLC,8543.70.9960,Dalton GA
SN5,Bitmain,Antminer S21,CN,2024-02-21,02:1c:4f:00:01:0a,Acme LLC,8543.70.9960,Dalton GA
SN6,Bitmain,Antminer S21,ZZ,2024-02-21,02:1c:4f:00:01:0b,Acme LLC,8543.70.9960,Dalton GA
SN7,Bitmain,Antminer S21,NO,2024-02-21,02:1c:4f:00:01:0c,Acme LLC,8543.70.9960,Dalton GA
"""


def _rows() -> list[dict]:
    lines = CSV.splitlines()
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","))) for line in lines[1:]]


def audit(tmp_path, name: str, content: bytes, *extra: str):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / f"out-{name}"
    proc = run_cli("audit", str(path), "--out", str(out), "--as-of", "2026-11-26", "--format", "json", *RULES, *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, path, out


def report(out) -> dict:
    return read_report(out)


def findings_without_place(doc: dict, path) -> list[str]:
    """Findings with their file and lines removed (asset and message), as sorted canonical JSON."""
    result = []
    for f in doc["findings"]:
        f = dict(f, asset={k: v for k, v in f["asset"].items() if k not in ("file", "line")})
        result.append(re.sub(re.escape(str(path)) + r":\d+", "<place>", json.dumps(f, sort_keys=True)))
    return sorted(result)


def duplicate_serial_places(doc: dict) -> str:
    (message,) = {f["message"] for f in doc["findings"] if f["rule_id"] == "DQ-002"}  # one per SN1 rig
    return message


def one_line_error(proc) -> str:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_json_array_and_json_lines_give_the_csv_findings(tmp_path):
    rows = _rows()
    csv_proc, csv_path, csv_out = audit(tmp_path, "inv.csv", CSV.encode())
    assert csv_proc.returncode == 0, csv_proc.stderr
    csv_doc = report(csv_out)
    rule_ids = {f["rule_id"] for f in csv_doc["findings"]}
    assert {"DQ-002", "DQ-003", "DQ-004", "ORIG-001"} <= rule_ids, rule_ids
    # Reports name the inventory by file name (never the local path it was given by).
    assert f"({csv_path.name}:2, {csv_path.name}:3)" in duplicate_serial_places(csv_doc)

    array = json.dumps(rows, indent=2).encode()
    wrapped = json.dumps({"generated_by": "ams export", "rigs": rows}).encode()
    lines = "".join(json.dumps(r) + "\n" for r in rows).encode()
    # Where the two SN1 rigs start: indent=2 puts each 9-key object on 11 lines after the "[".
    places = {"inv.json": (2, 13), "wrapped.json": (1, 1), "inv.jsonl": (1, 2), "inv.ndjson": (1, 2)}
    for name, content in (("inv.json", array), ("wrapped.json", wrapped), ("inv.jsonl", lines), ("inv.ndjson", lines)):
        proc, path, out = audit(tmp_path, name, content)
        assert proc.returncode == 0, (name, proc.stderr)
        doc = report(out)
        assert findings_without_place(doc, path.name) == findings_without_place(csv_doc, csv_path.name), name
        first, second = places[name]
        assert f"({path.name}:{first}, {path.name}:{second})" in duplicate_serial_places(doc), name
        inv = doc["inputs"]["inventory"][0]
        assert (inv["rows_read"], inv["rows_audited"], inv["rows_rejected"]) == (7, 6, 1), name
        assert [(r["column"], r["reason"]) for r in doc["rejected_rows"]] == [
            ("assembly_country", "unknown country 'ZZ' (expected an ISO 3166-1 code such as CN, MY, US)")
        ], name


def test_wrapper_object_members_other_than_rigs_are_warned(tmp_path):
    content = json.dumps({"generated_by": "ams", "inventory": [{"serial": "SN1", "model": "S21"}]}).encode()
    proc, path, out = audit(tmp_path, "inv.json", content)
    assert proc.returncode == 0, proc.stderr
    assert f"{path.name}: ignored top-level keys: generated_by" in proc.stderr
    assert report(out)["summary"]["assets"] == 1


# Pretty-printed by hand: the rejected rigs start on lines 6 ("ZZ") and 13 (empty model).
PRETTY = """{
  "rigs": [
    {"serial": "SN1", "model": "Antminer S21",
     "assembly_country": "MY"},

    {
      "serial": "SN2",
      "model": "Antminer S21",
      "assembly_country": "ZZ"
    },
    {"serial": "SN3", "model": "Antminer S21", "assembly_country": "MY"}
    ,
    {
      "serial": "SN4", "model": ""}
  ]
}
"""


def test_line_numbers_are_where_each_object_starts(tmp_path):
    proc, path, out = audit(tmp_path, "pretty.json", PRETTY.encode())
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    assert [(r["line"], r["column"]) for r in doc["rejected_rows"]] == [(6, "assembly_country"), (13, "model")]
    assert doc["summary"]["assets"] == 2


def test_json_lines_use_the_physical_line_and_skip_blank_lines(tmp_path):
    content = (
        '{"serial": "SN1", "model": "Antminer S21"}\n'
        "\n"
        '{"serial": "SN2", "model": "Antminer S21", "assembly_country": "ZZ"}\r\n'
        "   \n"
        '{"serial": "SN3", "model": "Antminer S21", "manufacture_date": "31/12/2024"}\n'
    )
    proc, path, out = audit(tmp_path, "inv.jsonl", content.encode())
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    assert [r["line"] for r in doc["rejected_rows"]] == [3, 5]
    inv = doc["inputs"]["inventory"][0]
    assert (inv["rows_read"], inv["rows_audited"], inv["rows_rejected"]) == (3, 1, 2)


def test_malformed_json_exits_2_with_file_line_and_column(tmp_path):
    # Missing comma: json reports "Expecting ',' delimiter" at the second key (line 3, column 20).
    content = '[\n  {"serial": "SN1", "model": "S21"},\n  {"serial": "SN2" "model": "S21"}\n]\n'
    proc, path, out = audit(tmp_path, "bad.json", content.encode())
    assert proc.returncode == 2
    line = one_line_error(proc)
    assert f"{path}:3:20: malformed JSON: Expecting ',' delimiter" in line
    assert not (out / "report.json").exists()


def test_malformed_json_lines_exit_2_at_the_physical_line(tmp_path):
    # The third line is cut short: the error is at its end (column 34).
    content = '{"serial": "SN1", "model": "S21"}\n\n{"serial": "SN2", "model": "S21",\n'
    proc, path, out = audit(tmp_path, "bad.jsonl", content.encode())
    assert proc.returncode == 2
    assert f"{path}:3:34: malformed JSON" in one_line_error(proc)


def test_trailing_comma_and_unterminated_array_are_malformed(tmp_path):
    proc, path, _ = audit(tmp_path, "comma.json", b'[{"serial": "SN1", "model": "S21"},]')
    assert proc.returncode == 2
    assert f"{path}:1:36: malformed JSON: Expecting value" in one_line_error(proc)
    proc, path, _ = audit(tmp_path, "open.json", b'[{"serial": "SN1", "model": "S21"}\n')
    assert proc.returncode == 2
    assert f"{path}:2:1: malformed JSON: unexpected end of file" in one_line_error(proc)


def test_non_object_element_is_rejected_with_its_line(tmp_path):
    content = '[\n  {"serial": "SN1", "model": "S21"},\n  "SN2 S21",\n  [1, 2],\n  null\n]\n'
    proc, path, out = audit(tmp_path, "inv.json", content.encode())
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    assert [(r["line"], r["column"], r["reason"]) for r in doc["rejected_rows"]] == [
        (3, None, "expected an object of fields, found a string"),
        (4, None, "expected an object of fields, found an array"),
        (5, None, "expected an object of fields, found null"),
    ]
    inv = doc["inputs"]["inventory"][0]
    assert (inv["rows_read"], inv["rows_audited"], inv["rows_rejected"]) == (4, 1, 3)


def test_nested_values_booleans_and_duplicate_keys_reject_the_row(tmp_path):
    content = (
        '{"serial": "SN1", "model": "S21", "site": {"name": "Rockdale"}}\n'
        '{"serial": "SN2", "model": "S21", "mac": ["02:1c:4f:00:01:07"]}\n'
        '{"serial": "SN3", "model": "S21", "assembly_country": false}\n'
        '{"serial": "SN4", "Serial Number": "SN4b", "model": "S21"}\n'
        '{"serial": "SN5", "model": "S21", "supplier": NaN}\n'
        '{"serial": "SN6", "model": "S21", "site": null}\n'
    )
    proc, path, out = audit(tmp_path, "inv.jsonl", content.encode())
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    assert [(r["line"], r["column"], r["reason"]) for r in doc["rejected_rows"]] == [
        (1, "site", "nested JSON object where a single value is expected"),
        (2, "mac", "JSON array where a single value is expected"),
        (3, "assembly_country", "JSON false where a string is expected"),
        (4, "serial", "keys 'serial' and 'Serial Number' both mean 'serial'"),
        (5, "supplier", "NaN is not valid JSON"),
    ]
    assert doc["summary"]["assets"] == 1  # null is an empty cell, not an error


def test_codes_stay_strings_and_numbers_only_fill_numeric_columns(tmp_path):
    content = (
        '{"serial": "SN1", "model": "S21", "assembly_country": "NO", "hts_code": "8543.70",'
        ' "declared_value_usd": 7900.00, "quantity": 2}\n'
        '{"serial": "SN2", "model": "S21", "hts_code": 8543.70}\n'
        '{"serial": 123, "model": "S21"}\n'
        '{"serial": "SN4", "model": "S21", "quantity": 2.5}\n'
    )
    proc, path, out = audit(tmp_path, "inv.jsonl", content.encode())
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    rejected = [(r["line"], r["column"], r["reason"]) for r in doc["rejected_rows"]]
    assert [r[:2] for r in rejected] == [(2, "hts_code"), (3, "serial"), (4, "quantity")]
    assert rejected[0][2].startswith('JSON number 8543.70 where a string is expected: write codes and identifiers in quotes ("8543.70")')
    assert rejected[2][2] == "invalid whole number '2.5'"

    from decimal import Decimal

    from auditor.inventory import read_inventories

    table, sources, _, _ = read_inventories([str(path)])
    row = table.row(0)
    assert (row["assembly_country"], row["hts_code"]) == ("NO", "8543.70")
    assert row["declared_value_usd"] == Decimal("7900.00") and str(row["declared_value_usd"]) == "7900.00"
    assert row["quantity"] == 2


def test_unknown_keys_are_ignored_with_a_warning(tmp_path):
    content = '[{"serial": "SN1", "model": "S21", "colour": "blue"}, {"serial": "SN2", "model": "S21", "rack": 4}]'
    proc, path, out = audit(tmp_path, "inv.json", content.encode())
    assert proc.returncode == 0, proc.stderr
    assert f"{path.name}: ignored keys with no canonical meaning: colour, rack" in proc.stderr
    inv = report(out)["inputs"]["inventory"][0]
    assert inv["ignored_columns"] == ["colour", "rack"]
    assert inv["columns"] == ["serial", "model"]


def test_aliases_apply_to_keys(tmp_path):
    content = '[{"Serial Number": "SN1", "Miner Model": "Antminer S21", "COO": "CN"}]'
    proc, path, out = audit(tmp_path, "inv.json", content.encode())
    assert proc.returncode == 0, proc.stderr
    doc = report(out)
    assert [f["rule_id"] for f in doc["findings"]] == ["ORIG-001"]
    assert doc["findings"][0]["asset"]["serial"] == "SN1"


def test_empty_inputs_exit_2_no_data_rows(tmp_path):
    for name, content in (("empty.json", b"[]"), ("wrapped.json", b'{"rigs": []}'), ("blank.jsonl", b"\n\n")):
        proc, path, out = audit(tmp_path, name, content)
        assert proc.returncode == 2, (name, proc.stderr)
        line = one_line_error(proc)
        assert str(path) in line and "no data rows" in line, line
        assert not (out / "report.json").exists()


def test_wrong_shapes_exit_2_with_a_reason(tmp_path):
    cases = [
        ("zero.json", b"", ":1: empty file"),
        ("string.json", b'"SN1"', ":1:1: the document is a string"),
        ("norigs.json", b'{"meta": {"n": 1}}', ":1: the top-level object has no 'rigs'"),
        ("notarray.json", b'{"rigs": {"serial": "SN1"}}', ":1: 'rigs' must be an array"),
        ("lines.json", b'{"serial": "SN1", "model": "S21"}\n{"serial": "SN2", "model": "S21"}\n',
         "it looks like one rig"),
        ("nomodel.json", b'[{"serial": "SN1", "make": "Bitmain"}]', "no object has a 'model' key"),
        ("array.jsonl", b'[{"serial": "SN1", "model": "S21"}]\n', ":1: no rig objects: expected an object of fields"),
        ("two.json", b'{"rigs": [],\n "inventory": []}', ":2: both 'rigs' and 'inventory' hold rows"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, ":1:2: malformed JSON: arrays or objects nested too deeply"),
        ("deep.jsonl", b'{"site": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", ":1:1: malformed JSON: arrays or objects nested"),
    ]
    for name, content, fragment in cases:
        proc, path, out = audit(tmp_path, name, content)
        assert proc.returncode == 2, (name, proc.stderr)
        line = one_line_error(proc)
        assert f"{path}" in line and fragment in line, (name, line)


def test_utf8_bom_is_accepted(tmp_path):
    rows = '[\n{"serial": "SN1", "model": "S21", "supplier": "Müller GmbH"},\n{"serial": "SN2", "model": ""}\n]'
    for name, content in (("bom.json", rows), ("bom.jsonl", '{"serial": "SN1", "model": "S21"}\n{"serial": "SN2", "model": ""}\n')):
        proc, path, out = audit(tmp_path, name, b"\xef\xbb\xbf" + content.encode("utf-8"))
        assert proc.returncode == 0, (name, proc.stderr)
        doc = report(out)
        assert doc["summary"]["assets"] == 1
        assert [r["line"] for r in doc["rejected_rows"]] == [3 if name == "bom.json" else 2]


def test_cp1252_and_utf16_exit_2(tmp_path):
    # "Müller" saved as Windows-1252: byte 0xfc at line 2, character column 35.
    content = b'[\n  {"serial": "SN1", "supplier": "M\xfcller GmbH", "model": "S21"}\n]\n'
    for name in ("cp.json", "cp.jsonl"):
        body = content if name.endswith(".json") else content.splitlines()[1] + b"\n"
        proc, path, out = audit(tmp_path, name, body)
        assert proc.returncode == 2, proc.stderr
        line = one_line_error(proc)
        where = ":2:35:" if name.endswith(".json") else ":1:35:"
        assert f"{path}{where} not valid UTF-8: byte 0xfc (it looks like Windows-1252/Latin-1)" in line, line
    proc, path, out = audit(tmp_path, "u16.json", '[{"serial": "SN1", "model": "S21"}]'.encode("utf-16"))
    assert proc.returncode == 2
    assert f"{path}:1:1: file is UTF-16/UTF-32 encoded" in one_line_error(proc)


def test_a_json_inventory_that_is_a_download_or_a_program_is_named_as_such(tmp_path):
    """The same recogniser of non-text files as the CSV reader and `screen --file`
    (auditor.filekind), not a table of its own that knew four signatures."""
    import gzip

    from tests.conftest import run_cli

    for name, data, what in (("inv.json", gzip.compress(b"[]"), "a gzip-compressed file"),
                             ("inv.jsonl", b"\x7fELF\x02\x01\x01\x00", "an ELF executable")):
        path = tmp_path / name
        path.write_bytes(data)
        done = run_cli("audit", str(path), "--out", str(tmp_path / "out"), "--bundled-lists-only")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"{path}:1:1: binary file: {what}, not a JSON inventory" in done.stderr, done.stderr
