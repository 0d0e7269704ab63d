"""Reference-data files edited by hand: every mistake names the file and the line."""

import textwrap

import pytest

from auditor.refdata._records import RefDataError
from auditor.refdata.facilities import load_facilities
from auditor.refdata.firmware import load_advisories, load_approved_firmware
from auditor.refdata.rule_data import lint_refdata
from auditor.refdata.tariffs import load_tariffs

GOOD_TARIFF = """\
[[tariff]]
id = "MFN"
programme = "MFN"
origin = "*"
hts = ["8543.70.9960"]
percent = 2.6
confidence = "P"
source = "CBP NY N297495"
"""


def write(tmp_path, text, name="data.toml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def error_of(loader, path):
    with pytest.raises(RefDataError) as exc:
        loader(path)
    return exc.value


def test_good_file_loads(tmp_path):
    sched, src = load_tariffs(write(tmp_path, GOOD_TARIFF))
    assert len(sched.records) == 1 and src["path"].endswith("data.toml")


def test_unknown_key_names_its_line(tmp_path):
    p = write(tmp_path, GOOD_TARIFF + "\n[[tariff]]\nid = \"X\"\nprogramme = \"MFN\"\norigin = \"MY\"\nhts = [\"*\"]\n"
              "percent = 1\nconfidence = \"P\"\nsource = \"s\"\nrate = 0.01\n")
    e = error_of(load_tariffs, p)
    assert e.path == str(p) and e.line == 18
    assert "unknown key 'rate'" in str(e) and str(e).startswith(f"{p}:18:")


def test_missing_required_key_points_at_the_record(tmp_path):
    p = write(tmp_path, GOOD_TARIFF + "\n[[tariff]]\nid = \"X\"\nprogramme = \"MFN\"\norigin = \"MY\"\nhts = [\"*\"]\n"
              "percent = 1\nsource = \"s\"\n")
    e = error_of(load_tariffs, p)
    assert e.line == 10 and "missing required key 'confidence'" in e.message


def test_quoted_date_is_refused(tmp_path):
    p = write(tmp_path, GOOD_TARIFF.replace('percent = 2.6\n', 'percent = 2.6\nfrom = "2025-01-01"\n'))
    e = error_of(load_tariffs, p)
    assert e.line == 7 and "TOML date" in e.message


def test_until_must_follow_from(tmp_path):
    p = write(tmp_path, GOOD_TARIFF.replace('percent = 2.6\n', 'percent = 2.6\nfrom = 2025-03-04\nuntil = 2025-03-04\n'))
    e = error_of(load_tariffs, p)
    assert e.line == 8 and "exclusive" in e.message


def test_overlapping_records_of_one_programme(tmp_path):
    second = GOOD_TARIFF.replace('id = "MFN"', 'id = "MFN-2"').replace("percent = 2.6", "percent = 3\nfrom = 2026-01-01")
    p = write(tmp_path, GOOD_TARIFF + "\n" + second)
    e = error_of(load_tariffs, p)
    assert e.line == 10 and "overlaps 'MFN' (line 1)" in e.message


def test_bad_country_and_percent(tmp_path):
    e = error_of(load_tariffs, write(tmp_path, GOOD_TARIFF.replace('origin = "*"', 'origin = "China"')))
    assert e.line == 4 and "alpha-2" in e.message
    e = error_of(load_tariffs, write(tmp_path, GOOD_TARIFF.replace("percent = 2.6", 'percent = "2.6%"')))
    assert e.line == 6 and "number" in e.message
    e = error_of(load_tariffs, write(tmp_path, GOOD_TARIFF.replace('hts = ["8543.70.9960"]', 'hts = ["85x3"]')))
    assert e.line == 5


def test_invalid_toml_reports_line(tmp_path):
    e = error_of(load_tariffs, write(tmp_path, GOOD_TARIFF + "percent = = 3\n"))
    assert e.line == 9 and "invalid TOML" in e.message


def test_duplicate_id(tmp_path):
    second = GOOD_TARIFF.replace('origin = "*"', 'origin = "MY"').replace('programme = "MFN"', 'programme = "Other"')
    e = error_of(load_tariffs, write(tmp_path, GOOD_TARIFF + "\n" + second))
    assert e.line == 10 and "duplicate id 'MFN' (first used on line 1)" in e.message


def test_unknown_table(tmp_path):
    e = error_of(load_tariffs, write(tmp_path, GOOD_TARIFF + "\n[[tarif]]\nid = \"x\"\n"))
    assert e.line == 10 and "unknown top-level key 'tarif'" in e.message


def test_unreadable_and_non_utf8(tmp_path):
    e = error_of(load_tariffs, tmp_path / "absent.toml")
    assert "cannot read" in e.message
    p = tmp_path / "latin1.toml"
    p.write_bytes(b"# caf\xe9\n")
    assert "not UTF-8" in error_of(load_tariffs, p).message


def test_facility_errors(tmp_path):
    base = """\
    [[manufacturer]]
    name = "Canaan"
    aliases = ["Canaan"]

    [[facility]]
    id = "C-US"
    manufacturer = "Canaan"
    country = "US"
    site = "pilot"
    status = "pilot"
    first_production = 2025-04-02
    precision = "after"
    confidence = "R"
    source = "Reuters"
    """
    registry, _ = load_facilities(write(tmp_path, base))
    assert registry.facilities[0].first_production.isoformat() == "2025-04-02"
    e = error_of(load_facilities, write(tmp_path, base.replace('manufacturer = "Canaan"', 'manufacturer = "Canan"')))
    assert e.line == 7 and "not defined" in e.message
    e = error_of(load_facilities, write(tmp_path, base.replace('status = "pilot"', 'status = "building"')))
    assert e.line == 10 and "expected one of" in e.message
    e = error_of(load_facilities, write(tmp_path, base.replace('precision = "after"\n', "")))
    assert e.line == 11 and "needs 'precision'" in e.message
    e = error_of(load_facilities, write(tmp_path, base.replace('confidence = "R"', 'confidence = "high"')))
    assert e.line == 13


def test_advisory_errors(tmp_path):
    base = """\
    [[vendor]]
    name = "Bitmain"
    aliases = ["Bitmain"]

    [[family]]
    name = "stock"
    match = ["stock"]

    [[advisory]]
    id = "A"
    vendor = "Bitmain"
    models = ["S9"]
    firmware_family = "stock"
    severity = "high"
    confidence = "P"
    reference = "CVE"
    summary = "x"
    """
    db, _ = load_advisories(write(tmp_path, base))
    assert db.get("A").affected_versions is None
    e = error_of(load_advisories, write(tmp_path, base.replace('severity = "high"', 'severity = "severe"')))
    assert e.line == 14
    e = error_of(load_advisories, write(tmp_path, base.replace('firmware_family = "stock"', 'firmware_family = "bos"')))
    assert e.line == 13 and "not defined" in e.message
    e = error_of(load_approved_firmware, write(tmp_path, '[[approved]]\nfirmware = "x"\nversion = "1"\n', "ok.toml"))
    assert e.line == 3 and "unknown key 'version'" in e.message


def test_lint_refdata_collects_errors(tmp_path):
    assert lint_refdata() == []  # the bundled files are valid
    bad = write(tmp_path, GOOD_TARIFF.replace("percent = 2.6", "percent = -1"))
    problems = lint_refdata(tariffs=bad)
    assert len(problems) == 1 and problems[0].startswith(f"{bad}:6:")
