"""Inventories as officers keep them: their own headers, separators, encodings, dates and
country names. Each case is read through the real CLI and checked in report.json."""

from __future__ import annotations

import pytest
from conftest import read_report, run_cli

RULES = ["--rules", "rules/origin", "--rules", "rules/data_quality"]


def audit(tmp_path, content: bytes | str, *extra: str, name: str = "fleet.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out = tmp_path / "out"
    proc = run_cli("audit", str(path), "--out", str(out), "--as-of", "2026-11-26", "--fail-on", "never",
                   "--overwrite", "--allow-missing", "assembly_country", *RULES, *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    doc = read_report(out) if proc.returncode in (0, 1, 3) else None
    return proc, doc, path


def rigs(doc) -> dict[str, dict]:
    """serial -> {rule ids} from the findings, plus the rejected rows."""
    out: dict[str, set] = {}
    for f in doc["findings"]:
        out.setdefault(f["asset"]["serial"], set()).add(f["rule_id"])
    return out


# ---------------------------------------------------------------- headers


def test_officer_headers_are_understood(tmp_path):
    csv = ("S/N,Miner Type,Vendor,Country,Date Imported,Purchase Price,Hosting Location,Unit Cost (USD)\n"
           "SN1,Antminer S21,Acme,CN,2024-04-09,3200,Rockdale TX,3200\n")
    proc, doc, _ = audit(tmp_path, csv.replace(",Unit Cost (USD)", "").replace(",3200\n", "\n"))
    assert proc.returncode == 0, proc.stderr
    cols = doc["inputs"]["inventory"][0]["columns"]
    assert cols == ["serial", "model", "supplier", "assembly_country", "import_date", "unit_price_usd", "site"]
    assert "ORIG-001" in rigs(doc)["SN1"]


def test_map_flag_names_a_column_and_wins_over_an_alias(tmp_path):
    csv = "Asset Tag,Rig Kind,Model,COO\nT1,Antminer S21,ignored,CN\n"
    proc, doc, _ = audit(tmp_path, csv, "--map", "Asset Tag=serial", "--map", "rig kind=model")
    assert proc.returncode == 0, proc.stderr
    assert doc["inputs"]["inventory"][0]["columns"] == ["serial", "model", "assembly_country"]
    assert doc["inputs"]["inventory"][0]["ignored_columns"] == ["Model"]
    assert "ORIG-001" in rigs(doc)["T1"]


def test_map_to_an_unknown_field_lists_the_fields(tmp_path):
    proc, _, _ = audit(tmp_path, "serial,model\nA,B\n", "--map", "Rig Kind=modle")
    assert proc.returncode == 2
    assert "unknown field 'modle'" in proc.stderr and "assembly_country" in proc.stderr


def test_missing_model_lists_accepted_headers_and_suggests(tmp_path):
    proc, _, path = audit(tmp_path, "Serial,Minr Model,Country\nA,S21,CN\n")
    assert proc.returncode == 2
    assert f"{path}:1:" in proc.stderr
    assert "minermodel" in proc.stderr  # the accepted names are listed
    assert '--map "Minr Model=model"' in proc.stderr  # the near miss gets a suggestion


def test_unknown_header_resembling_a_field_gets_a_suggestion(tmp_path):
    proc, doc, _ = audit(tmp_path, "Serial,Model,Hostng Location,Notes\nA,Antminer S21,Rockdale,x\n")
    assert proc.returncode == 0
    assert '--map "Hostng Location=site"' in proc.stderr
    assert "'Notes'" in proc.stderr and '"Notes=' not in proc.stderr


# ---------------------------------------------------------------- CSV dialects


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_delimiters_are_recognised(tmp_path, sep):
    rows = [["Serial", "Model", "Supplier", "Country"], ["A1", "Antminer S21", "Acme, Inc.", "CN"],
            ["A2", "Antminer S19", "Beta", "MY"]]
    text = "\n".join(sep.join(r) for r in rows) + "\n"
    proc, doc, _ = audit(tmp_path, text)
    assert proc.returncode == 0, proc.stderr
    assert doc["summary"]["rows_audited"] == 2
    assert rigs(doc)["A1"] >= {"ORIG-001"}


def test_excel_sep_line_names_the_delimiter_and_is_not_the_header(tmp_path):
    """Excel writes (and reads) a first line "sep=;" in CSV files meant for other locales."""
    text = "sep=;\r\nSerial;Model;Supplier;Country\r\nA1;Antminer S21;Acme, Inc.;CN\r\nA2;Antminer S19;Beta;Narnia\r\n"
    proc, doc, path = audit(tmp_path, text)
    assert proc.returncode == 0, proc.stderr
    assert (doc["summary"]["rows_read"], doc["summary"]["rows_audited"]) == (2, 1)
    assert rigs(doc)["A1"] >= {"ORIG-001"}
    assert [r["line"] for r in doc["rejected_rows"]] == [4]  # physical lines: the sep= line counts


def test_unclear_delimiter_is_an_error(tmp_path):
    # "serial;model" / "serial,model" would name the same columns both ways.
    proc, _, path = audit(tmp_path, "serial;model,serial,model;x\nA;B,C,D;E\n")
    assert proc.returncode == 2
    assert "cannot tell the delimiter" in proc.stderr and f"{path}:1:" in proc.stderr


def test_utf16_with_bom_is_read(tmp_path):
    text = "Serial\tModel\tSupplier\tCountry\r\nA1\tAntminer S21\tMüller GmbH\tDE\r\nA2\tAntminer S19\t深圳\tCN\r\n"
    proc, doc, _ = audit(tmp_path, text.encode("utf-16"))  # what Excel's "Unicode text" writes
    assert proc.returncode == 0, proc.stderr
    assert doc["summary"]["rows_audited"] == 2 and rigs(doc)["A2"] >= {"ORIG-001"}


def test_legacy_encoding_with_flag(tmp_path):
    content = "serial,model,supplier\nA1,Antminer S21,Müller GmbH\n".encode("cp1252")
    proc, _, _ = audit(tmp_path, content)
    assert proc.returncode == 2 and "--encoding cp1252" in proc.stderr
    proc, doc, _ = audit(tmp_path, content, "--encoding", "cp1252")
    assert proc.returncode == 0, proc.stderr
    assert doc["summary"]["rows_audited"] == 1


def test_physical_lines_survive_dialects(tmp_path):
    text = 'Serial;Model;Site\nA1;Antminer S21;"Rockdale\nTX"\nA2;;Dalton\n'
    proc, doc, _ = audit(tmp_path, text)
    assert doc["rejected_rows"] == [{"file": doc["inputs"]["inventory"][0]["path"], "line": 4, "column": "model",
                                     "reason": "model is empty (required)", "serial": "A2"}]

# ---------------------------------------------------------------- dates


def test_us_dates_are_decided_from_the_file(tmp_path):
    text = "serial,model,manufacture_date\nA1,S21,9/4/2024\nA2,S21,12/25/2024\n"
    proc, doc, _ = audit(tmp_path, text, "--as-of", "2024-10-01")
    assert proc.returncode == 0, proc.stderr
    # 9/4/2024 read month-first (decided by 12/25/2024): 4 September, before the as-of date;
    # 25 December is after it, so only A2 has a future manufacture date (DQ-004).
    assert "DQ-004" in rigs(doc).get("A2", set()) and "DQ-004" not in rigs(doc).get("A1", set())


def test_day_first_dates_are_decided_from_the_file(tmp_path):
    text = "serial,model,manufacture_date\nA1,S21,9/4/2024\nA2,S21,25/12/2024\n"
    proc, doc, _ = audit(tmp_path, text, "--as-of", "2024-06-01")
    assert proc.returncode == 0
    # 9 April is before June; 25 December after.
    assert "DQ-004" in rigs(doc)["A2"] and "DQ-004" not in rigs(doc).get("A1", set())


def test_ambiguous_dates_are_refused_with_file_line_and_example(tmp_path):
    text = "serial,model,Mfg Date\nA1,S21,2024-01-01\nA2,S21,9/4/2024\nA3,S21,3/4/2024\n"
    proc, _, path = audit(tmp_path, text)
    assert proc.returncode == 2
    assert f"{path}:3:" in proc.stderr and "'9/4/2024'" in proc.stderr
    assert "--date-format DD/MM/YYYY" in proc.stderr and "'Mfg Date'" in proc.stderr
    proc, doc, _ = audit(tmp_path, text, "--date-format", "DD/MM/YYYY", "--as-of", "2024-04-05")
    assert proc.returncode == 0, proc.stderr
    assert "DQ-004" in rigs(doc).get("A2", set())  # 9 April 2024 is after 5 April
    assert "DQ-004" not in rigs(doc).get("A3", set())  # 3 April is not


def test_dates_written_both_ways_are_refused(tmp_path):
    text = "serial,model,manufacture_date\nA1,S21,1/2/2024\nA2,S21,25/12/2024\nA3,S21,12/25/2024\n"
    proc, _, _ = audit(tmp_path, text)
    assert proc.returncode == 2 and "both ways" in proc.stderr


def test_value_contradicting_the_decided_order_is_rejected_with_reason(tmp_path):
    text = "serial,model,manufacture_date\nA1,S21,25/12/2024\nA2,S21,12/25/2024\n"
    proc, doc, _ = audit(tmp_path, text)
    assert proc.returncode == 0
    [rej] = doc["rejected_rows"]
    assert rej["line"] == 3 and "DD/MM/YYYY" in rej["reason"] and "line 2" in rej["reason"]


def test_excel_serials_and_timestamps(tmp_path):
    text = ("serial,model,manufacture_date,import_date\n"
            "A1,S21,45391,2024-04-09T13:45:00Z\nA2,S21,2024-04-09 08:00:00,45390\nA3,S21,45390,45391\n")
    proc, doc, _ = audit(tmp_path, text, "--as-of", "2024-04-08")
    assert proc.returncode == 0, proc.stderr
    # 45391 is 2024-04-09 in Excel's calendar (after the as-of date), 45390 the day before.
    assert {"DQ-004"} <= rigs(doc)["A1"] and {"DQ-004"} <= rigs(doc)["A2"]
    assert "DQ-004" not in rigs(doc).get("A3", set())
    # A3 imported (45391) after it was made (45390): no import-before-manufacture finding either.
    assert "DQ-005" not in rigs(doc).get("A3", set()) and "DQ-005" in rigs(doc)["A2"]
    assert doc["rejected_rows"] == []


# ---------------------------------------------------------------- countries


@pytest.mark.parametrize("written,code", [
    ("PRC", "CN"), ("P.R. China", "CN"), ("Mainland China", "CN"), ("Made in China", "CN"),
    ("People's Republic of China", "CN"), ("CHN", "CN"), ("china", "CN"),
    ("Hong Kong SAR", "HK"), ("Hong Kong", "HK"), ("HK", "HK"), ("Macau", "MO"), ("Macao SAR, China", "MO"),
    ("USA", "US"), ("U.S.A.", "US"), ("Made in USA", "US"), ("United States", "US"),
    ("Made in Malaysia", "MY"), ("Viet Nam", "VN"), ("NO", "NO"),
    # A place with its country, as shipping documents write it.
    ("Shenzhen, China", "CN"), ("Penang, Malaysia", "MY"), ("China (Shenzhen)", "CN"),
    ("Shenzhen, Guangdong, China", "CN"), ("Korea, Republic of", "KR"),
])
def test_countries_as_people_write_them(written, code):
    from auditor.inventory.fields import parse_country

    assert parse_country(written) == code


def test_hong_kong_is_its_own_origin_in_findings(tmp_path):
    proc, doc, _ = audit(tmp_path, 'serial,model,Country of Origin\nA1,S21,"Hong Kong SAR"\nA2,S21,Made in USA\n')
    assert proc.returncode == 0
    orig = [f for f in doc["findings"] if f["rule_id"] == "ORIG-001"]
    assert [(f["asset"]["serial"], f["evidence"].get("assembly_country")) for f in orig] == [("A1", "HK")]


def test_unknown_country_is_rejected_not_guessed(tmp_path):
    proc, doc, _ = audit(tmp_path, "serial,model,country\nA1,S21,Chinaland\n")
    assert "unknown country 'Chinaland'" in doc["rejected_rows"][0]["reason"]


@pytest.mark.parametrize("written", ["Atlanta, GA", "Atlanta, Georgia", "Shenzhen", "Paris, France, Germany"])
def test_a_place_whose_country_is_not_plain_is_rejected_not_guessed(written):
    # "GA" after a city is the US state, not Gabon; a city alone or two countries name none.
    from auditor.inventory.fields import FieldError, parse_country

    with pytest.raises(FieldError, match="unknown country"):
        parse_country(written)


# ---------------------------------------------------------------- asset keys


def test_blank_serials_are_dq001_and_keep_their_own_keys(tmp_path):
    # A rig list (it has a serial column) where two rigs of one PO have no serial recorded.
    text = "serial,model,po_number,assembly_country\n,Antminer S21,PO-7,CN\n,Antminer S21,PO-7,CN\nA3,Antminer S21,PO-7,CN\n"
    proc, doc, path = audit(tmp_path, text)
    dq = [f for f in doc["findings"] if f["rule_id"] == "DQ-001"]
    assert [f["asset"]["line"] for f in dq] == [2, 3]
    blank = {f["asset"]["key"] for f in doc["findings"] if f["asset"]["serial"] is None}
    assert blank == {f"line:{path.name}:2", f"line:{path.name}:3"}  # never "po:PO-7", never one key for two rigs
    orig = [f for f in doc["findings"] if f["rule_id"] == "ORIG-001"]
    assert len({f["fingerprint"] for f in orig}) == 3


def test_purchase_order_lists_keep_po_keys_and_no_dq001(tmp_path):
    text = "po_number,po_line,model,quantity,assembly_country\nPO-7,1,Antminer S21,10,CN\nPO-7,2,Antminer S19,5,CN\n"
    proc, doc, _ = audit(tmp_path, text)
    assert not [f for f in doc["findings"] if f["rule_id"] == "DQ-001"]
    assert {f["asset"]["key"] for f in doc["findings"]} == {"po:PO-7/1", "po:PO-7/2"}
