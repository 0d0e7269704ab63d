"""The importers on the real shared list files; expected counts come from their README."""

from __future__ import annotations

import csv
from datetime import date

from auditor.refdata.importers import IMPORTERS

SDN = "Specially Designated Nationals (SDN) - Treasury Department"
EL = "Entity List (EL) - Bureau of Industry and Security"


def test_partial_csl_sections_reconcile_with_readme(shared_lists):
    r = IMPORTERS["csl-csv"].parse(shared_lists / "csl_2023-11_partial.csv")
    # README: SDN 1,738; Entity List 919; DPL 577; SSI 288; UVL 186; ISN 144; DTC 142; PLC 78; MEU 71; CMIC 68
    expected = {
        SDN: 1738,
        EL: 919,
        "Denied Persons List (DPL) - Bureau of Industry and Security": 577,
        "Sectoral Sanctions Identifications List (SSI) - Treasury Department": 288,
        "Unverified List (UVL) - Bureau of Industry and Security": 186,
        "Nonproliferation Sanctions (ISN) - State Department": 144,
        "ITAR Debarred (DTC) - State Department": 142,
        "Palestinian Legislative Council List (PLC) - Treasury Department": 78,
        "Military End User (MEU) List - Bureau of Industry and Security": 71,
        "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": 68,
    }
    for section, count in expected.items():
        assert r.counts[section] == count, section
    # README: 4,228 rows, one of which is the repeated header on line 2.
    assert r.rows == 4227 and sum(r.counts.values()) == 4227
    assert any(w.endswith("csl_2023-11_partial.csv:2: repeated header row skipped") for w in r.warnings)
    assert len({(e.list_name, e.entity_id) for e in r.entries}) == len(r.entries)


def test_csl_2025_sample_has_the_cetc13_entity_list_row(shared_lists):
    r = IMPORTERS["csl-csv"].parse(shared_lists / "csl_2025_sample.csv")
    assert r.rows == 13
    el = [e for e in r.entries if e.list_name == EL]
    assert any("13" in e.name and "CETC" in (e.name + " ".join(e.aliases)).upper() for e in el), [e.name for e in el]


def test_sdn_2019_every_record_imported(shared_lists):
    path = shared_lists / "ofac_sdn_2019.csv"
    r = IMPORTERS["ofac-sdn"].parse(path)
    # Count ent_num-led records independently with the csv module.
    with open(path, newline="", encoding="utf-8") as fh:
        independent = sum(1 for row in csv.reader(fh) if row and row[0].strip().isdigit())
    assert r.counts == {SDN: independent}
    # `-0-` is the null marker: no field may be just that (it occurs inside real ids, e.g. "CH-660-0-469-982-0").
    fields = [(e.name, e.entity_type, *e.programs, *e.remarks.split("; ")) for e in r.entries]
    assert not any(f and f.strip() == "-0-" for row in fields for f in row)
    assert sum(1 for e in r.entries if e.entity_type == "entity") > 0


def test_alt_2025_carries_the_bitriver_family(shared_lists):
    r = IMPORTERS["ofac-alt"].parse(shared_lists / "ofac_alt_2025.csv")
    e = {x.entity_id: x for x in r.entries}
    assert e["36471"].name == "BITRIVER-NORTH LLC" and e["36471"].aliases == ("BITRIVER-SEVER, OOO",)
    assert e["36457"].name == "MC BITRIVER, LLC"
    assert r.notes["alternate names"] == r.rows


def test_1260h_real_file(shared_lists):
    r = IMPORTERS["dod-1260h"].parse(shared_lists / "dod_1260h.csv")
    assert r.rows == 397  # README
    ymtc = sorted((x.start, x.end) for x in r.entries if x.name.startswith("Yangtze Memory"))
    # dod_1260h.csv lines 73, 208, 395: listed 2024-01-31, "removed" 2026-02-17 by an update that
    # was withdrawn within the hour (reported), listed again 2026-06-08: one period, no gap.
    assert ymtc == [(date(2024, 1, 31), None)]
    cxmt = sorted((x.start, x.end) for x in r.entries if x.name.startswith("ChangXin"))
    assert cxmt == [(date(2025, 1, 7), None)]
    disputed = [w for w in r.warnings if "removal on 2026-02-17 not applied" in w]
    assert len(disputed) == 2 and all("withdrawn" in w for w in disputed)
    assert not any("bitmain" in x.name.casefold() or "sophgo" in x.name.casefold() for x in r.entries)


def test_fcc_real_file(shared_lists):
    r = IMPORTERS["fcc-covered"].parse(shared_lists / "fcc_covered_list.csv")
    assert r.rows == 16  # README
    names = {e.name for e in r.entries}
    assert {"Huawei Technologies Company", "ZTE Corporation", "Hytera Communications Corporation",
            "Hangzhou Hikvision Digital Technology Company", "Dahua Technology Company"} <= names
    huawei = next(e for e in r.entries if e.name == "Huawei Technologies Company")
    assert huawei.start == date(2021, 3, 12)
    # Every row is either an entry or a reported category row: nothing silently dropped.
    rows_with_party = {e.remarks for e in r.entries}
    assert len(rows_with_party) + r.notes["category rows (no named party)"] == 16


def test_an_alias_list_written_as_a_sentence_keeps_no_and(shared_lists):
    # The Entity List writes CGTC's aliases "Chengdu Jiashi Technology Co.; …; and Chengdu
    # Zenith": screened as written, "and Chengdu Zenith" met "Zenith Electric Co".
    r = IMPORTERS["csl-csv"].parse(shared_lists / "csl_2023-11_partial.csv")
    cgtc = [e for e in r.entries if e.name == "Chengdu GaStone Technology Co., Ltd. (CGTC)" and len(e.aliases) > 1]
    assert cgtc and all("Chengdu Zenith" in e.aliases for e in cgtc), [e.aliases for e in cgtc]
    assert not any(a.casefold().startswith("and ") for e in r.entries for a in e.aliases)
