"""Each importer on a small hand-written fixture: expected values read off the fixture by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditor.refdata.importers import IMPORTERS, ListFormatError
from auditor.refdata.importers.base import parse_date, split_list
from auditor.refdata.importers.effects import legal_effect

FIXTURES = Path(__file__).with_name("fixtures")

EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
DPL = "Denied Persons List (DPL) - Bureau of Industry and Security"
H1260 = "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense"
FCC = "FCC Covered List (FCC) - Federal Communications Commission"


def parse(fmt: str, name: str):
    return IMPORTERS[fmt].parse(FIXTURES / name)


def by_id(result):
    return {e.entity_id: e for e in result.entries}


def test_registry_has_every_documented_format():
    assert sorted(IMPORTERS) == sorted(["csl-csv", "csl-json", "ofac-sdn", "ofac-alt", "dod-1260h", "fcc-covered"])


def test_csl_csv_counts_sections_and_reports_repeated_header_line():
    r = parse("csl-csv", "csl_small.csv")
    assert r.counts == {DPL: 1, EL: 2, SDN: 1}
    assert r.rows == 4
    assert len(r.warnings) == 1 and "csl_small.csv:2: repeated header row" in r.warnings[0]


def test_csl_csv_splits_aliases_addresses_and_reads_dates():
    e = by_id(parse("csl-csv", "csl_small.csv"))
    micro = e["el-001"]
    assert micro.name == "Example Microelectronics Co., Ltd."
    assert micro.aliases == ("EXAMPLE MICRO", "Example Microelectronics Company Limited")
    assert micro.addresses == ("1 Chip Road, Shenzhen, 518000, CN", "2 Wafer Street, Hong Kong, HK")
    assert micro.country == "CN"
    assert micro.start == date(2020, 12, 22) and micro.end is None
    assert micro.source == "85 FR 00001"
    assert micro.entity_type == "entity"
    removed = e["el-002"]
    assert (removed.start, removed.end) == (date(2023, 6, 1), date(2024, 2, 1))
    assert not removed.listed_on(date(2024, 2, 1)) and removed.listed_on(date(2024, 1, 31))
    assert "Second line of remarks." in removed.remarks
    assert e["sdn-1001"].programs == ("RUSSIA-EO14024", "CYBER2")


def test_legal_effects_per_list():
    e = by_id(parse("csl-csv", "csl_small.csv"))
    el_effect = e["el-001"].legal_effect
    assert "licence" in el_effect and "EAR" in el_effect and "does not ban importing" in el_effect
    assert "US persons are prohibited" in e["sdn-1001"].legal_effect
    assert legal_effect("Some New List (XYZ) - Agency") == "see source"


def test_csl_json_matches_the_csv_reading_of_the_same_records():
    j = by_id(parse("csl-json", "csl_small.json"))
    c = by_id(parse("csl-csv", "csl_small.csv"))
    for key in ("el-001", "sdn-1001", "dpl-01"):
        assert j[key].name == c[key].name
        assert j[key].aliases == c[key].aliases
        assert j[key].start == c[key].start and j[key].end == c[key].end
        assert j[key].country == c[key].country
    assert j["el-001"].addresses == ("1 Chip Road, Shenzhen, 518000, CN", "2 Wafer Street, Hong Kong, HK")
    assert j["dpl-01"].addresses == ("Industriestr. 1, Berlin, DE",)


def test_ofac_sdn_nulls_programs_and_types():
    r = parse("ofac-sdn", "sdn_small.csv")
    assert r.counts == {SDN: 3}
    e = by_id(r)
    assert e["1001"].name == "TEST HOSTING LLC"
    assert e["1001"].entity_type == "entity"  # -0- type means an entity
    assert e["1001"].programs == ("RUSSIA-EO14024", "CYBER2")
    assert e["1002"].entity_type == "individual"
    assert "-0-" not in e["1003"].remarks
    assert "vessel type: Crude Oil Tanker" in e["1003"].remarks and "flag: Panama" in e["1003"].remarks


def test_ofac_alt_groups_names_by_ent_num():
    r = parse("ofac-alt", "alt_small.csv")
    e = by_id(r)
    assert sorted(e) == ["1001", "1003", "2001"]
    assert e["1001"].name == "MC TEST HOSTING" and e["1001"].aliases == ("TEST HOSTING OLD NAME",)
    assert e["2001"].list_name == SDN
    assert r.notes == {"alternate names": 5}


def test_dod_1260h_listing_periods():
    r = parse("dod-1260h", "dod_1260h_small.csv")
    e = by_id(r)
    # Example Memory: listed 2024-01-31, removed 2026-02-17, listed again 2026-06-08 -> two periods.
    first = e["example-memory-co-ltd@2024-01-31"]
    again = e["example-memory-co-ltd@2026-06-08"]
    assert (first.start, first.end) == (date(2024, 1, 31), date(2026, 2, 17))
    assert (again.start, again.end) == (date(2026, 6, 8), None)
    assert not first.listed_on(date(2026, 3, 1)) and not again.listed_on(date(2026, 3, 1))
    aero = e["example-aerospace-corporation@2021-06-03"]
    assert aero.end is None and set(aero.aliases) == {"EAC", "Old Aerospace Name"}
    sub = e["example-subsidiary-limited@2021-06-03"]
    assert sub.end == date(2024, 1, 31) and "parent: Example Aerospace Corporation" in sub.remarks
    assert r.rows == 6 and r.notes == {"companies": 3} and r.counts == {H1260: 4}
    assert "DoD procurement" in aero.legal_effect


def test_fcc_covered_extracts_parties_and_reports_category_rows():
    r = parse("fcc-covered", "fcc_small.csv")
    names = [(e.name, e.start) for e in r.entries]
    assert names == [
        ("Example Telecom Company", date(2021, 3, 12)),
        ("Example Networks Corp", date(2022, 9, 20)),
        ("ExampleNet (USA) LLC", date(2022, 9, 20)),
    ]
    assert r.counts == {FCC: 3}
    assert len(r.warnings) == 1 and "fcc_small.csv:4:" in r.warnings[0] and "category" in r.warnings[0]
    assert "site equipment" in r.entries[0].legal_effect


@pytest.mark.parametrize(
    "text, expected",
    [
        ("March 12, 2021", date(2021, 3, 12)),
        ("2021-06-03", date(2021, 6, 3)),
        ("12 Mar 2021", date(2021, 3, 12)),
        ("08/08/2023", date(2023, 8, 8)),
        ("2021-06-03T00:00:00Z", date(2021, 6, 3)),
    ],
)
def test_free_text_dates(text, expected):
    assert parse_date(text) == expected


def test_split_list_drops_nulls_and_duplicates():
    assert split_list("A; B;  ; A; -0-") == ("A", "B")
    assert split_list("-0- ") == ()


# --- malformed input: clear error with file, line and column -----------------------------------


def test_csl_row_with_wrong_field_count_names_line_and_column(tmp_path):
    src = (FIXTURES / "csl_small.csv").read_text().splitlines(keepends=True)
    src.insert(2, '"x","Entity List (EL) - Bureau of Industry and Security","","","","Short Row"\n')
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(src))
    with pytest.raises(ListFormatError) as exc:
        IMPORTERS["csl-csv"].parse(bad)
    assert exc.value.line == 3 and exc.value.column is not None
    assert str(exc.value).startswith(f"{bad}:3:") and "expected 29 fields" in str(exc.value)


def test_truncated_last_csl_record_is_kept_with_a_warning(tmp_path):
    text = (FIXTURES / "csl_small.csv").read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text + '"x9","Entity List (EL) - Bureau of Industry and Security","","Entity","","Cut Off Ltd","","12 Some Str')
    r = IMPORTERS["csl-csv"].parse(cut)
    assert r.counts["Entity List (EL) - Bureau of Industry and Security"] == 3
    assert any(":8: last record truncated" in w for w in r.warnings)


def test_csl_unparseable_date_is_a_warning_with_position(tmp_path):
    text = (FIXTURES / "csl_small.csv").read_text().replace('"2020-12-22"', '"sometime in 2020"')
    f = tmp_path / "d.csv"
    f.write_text(text)
    r = IMPORTERS["csl-csv"].parse(f)
    assert by_id(r)["el-001"].start is None
    assert any(w.startswith(f"{f}:3:") and "start_date" in w and "sometime in 2020" in w for w in r.warnings)


def test_sdn_with_non_numeric_ent_num(tmp_path):
    f = tmp_path / "sdn.csv"
    f.write_text('1,"A",-0-,"X",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\nabc,"B",-0-,"X",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n')
    with pytest.raises(ListFormatError) as exc:
        IMPORTERS["ofac-sdn"].parse(f)
    assert (exc.value.line, exc.value.column) == (2, 1) and "ent_num 'abc'" in str(exc.value)


def test_wrong_format_is_caught_on_the_header(tmp_path):
    with pytest.raises(ListFormatError) as exc:
        IMPORTERS["csl-csv"].parse(FIXTURES / "sdn_small.csv")
    assert exc.value.line == 1 and "not a CSL CSV" in str(exc.value)


def test_invalid_json_names_line_and_column(tmp_path):
    f = tmp_path / "c.json"
    f.write_text('{"results": [\n  {"name": "A",, "source": "x"}\n]}')
    with pytest.raises(ListFormatError) as exc:
        IMPORTERS["csl-json"].parse(f)
    assert (exc.value.line, exc.value.column) == (2, 16)


def test_non_utf8_file(tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes((FIXTURES / "dod_1260h_small.csv").read_bytes() + "Soci\u00e9t\u00e9,x,,,,,2021-06-03,,\n".encode("latin-1"))
    with pytest.raises(ListFormatError) as exc:
        IMPORTERS["dod-1260h"].parse(f)
    assert exc.value.line == 8 and "UTF-8" in str(exc.value)


def test_empty_file(tmp_path):
    f = tmp_path / "empty.csv"
    f.write_text("")
    with pytest.raises(ListFormatError, match="empty"):
        IMPORTERS["fcc-covered"].parse(f)


def test_1260h_bad_date_is_an_error_with_column(tmp_path):
    text = (FIXTURES / "dod_1260h_small.csv").read_text().replace("2024-01-31,,", "31.01.2024,,", 1)
    f = tmp_path / "d.csv"
    f.write_text(text)
    with pytest.raises(ListFormatError) as exc:
        IMPORTERS["dod-1260h"].parse(f)
    assert exc.value.line == 3 and "Start date" in str(exc.value) and exc.value.column > 1
