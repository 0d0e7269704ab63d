"""Real bitcoin-mining industry names against every official list file we have: no match,
while Sophgo's two spellings find their Entity List entries (the issue's "done when")."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.screening import DEFAULT_THRESHOLD, Screener, compare_names

from .conftest import industry_names

AS_OF = date(2026, 6, 1)


def test_industry_names_raise_no_match(screener: Screener) -> None:
    names = industry_names()
    assert "Canaan Inc." in names and "Iris Energy Limited" in names and len(names) >= 70
    hits = {name: [(m.matched_name, round(m.score, 2)) for m in matches]
            for name, matches in screener.screen_many(names, AS_OF).items() if matches}
    assert hits == {}


def test_canaan_in_chinese_raises_no_match(screener: Screener) -> None:
    # Canaan's Chinese name reads "Jianan Technology" in pinyin, like the 1260H list's
    # "Sichuan Jian'an Industry Co., Ltd." (another company in another line of work).
    assert screener.screen("嘉楠科技", AS_OF) == []


@pytest.mark.parametrize("name", ["SOPHGO TECHNOLOGIES LTD.", "Sophgo Technologies Pte. Ltd"])
def test_sophgo_spellings_match_their_entity_list_entries(screener: Screener, name: str) -> None:
    top = [m for m in screener.screen(name, AS_OF) if m.score == 1.0]
    assert {m.matched_name for m in top} == {"Sophgo Technologies Ltd.", "Sophgo Technologies Pte. Ltd."}
    assert all(m.list_name.startswith("Entity List") and "2025-00480" in m.source for m in top)


@pytest.mark.parametrize(("name", "listed"), [
    ("ZTE Corporation", "ZTE Corporation"),
    ("Hytera Communications Corporation Limited", "Hytera Communications Corporation"),
])
def test_fcc_covered_producers_are_screened(screener: Screener, name: str, listed: str) -> None:
    """The FCC Covered List names producers, not SDN-style parties; a supplier that is one is found."""
    top = screener.screen(name, AS_OF)[0]
    assert (top.matched_name, top.score) == (listed, 1.0)
    assert top.list_name.startswith("FCC Covered List")


def test_an_acronym_matches_a_listed_name_only_where_the_list_writes_it(screener: Screener) -> None:
    # "TIAA" (a US pension fund) spells the initials of an SDN charity's words: chance, among
    # tens of thousands of listed names, so no match; the charity's own name still matches.
    assert screener.screen("TIAA", AS_OF) == []
    assert "TAIBAH INTERNATIONAL AID AGENCY" in {m.matched_name for m in screener.screen("Taibah International Aid Agency", AS_OF)}
    # The list writes "(AEOI)" after the name: the acronym matches it.
    assert "Atomic Energy Organization of Iran (AEOI)" in {m.matched_name for m in screener.screen("AEOI", AS_OF)}


def test_a_listed_acronym_matches_a_query_only_where_the_query_writes_it(screener: Screener) -> None:
    # The 2025 alternate names give RSK MiG the alias "MIG". Compared as a pair, a name of
    # three words is read as the acronym of its initials, but "Mawson Infrastructure Group"
    # (a US bitcoin miner) spells those by chance: hundreds of listed acronyms, few letters.
    assert compare_names("Mawson Infrastructure Group Inc.", "MIG") >= DEFAULT_THRESHOLD
    assert screener.screen("Mawson Infrastructure Group Inc.", AS_OF) == []
    assert "MIG" in {m.matched_name for m in screener.screen("MIG", AS_OF)}


def test_a_one_word_name_a_slip_away_from_a_listed_one_is_no_screening_match(screener: Screener) -> None:
    # "Kraken" (a US crypto exchange) is one letter short of the SDN's "KRAKERN LIMITED".
    # Compared as a pair that reads as a typo; screened against tens of thousands of names,
    # some listed name is a slip away from almost any short word, so it is no match.
    assert compare_names("Kraken", "Krakern Limited") >= DEFAULT_THRESHOLD
    assert screener.screen("Kraken", AS_OF) == []
    assert "KRAKERN LIMITED" in {m.matched_name for m in screener.screen("Krakern Ltd", AS_OF)}
    # The same for a key struck beside the right one: "Tenfibe" for the Entity List's "Tenfine".
    assert compare_names("Tenfibe", "Tenfine Ltd.") >= DEFAULT_THRESHOLD
    assert screener.screen("Tenfibe", AS_OF) == []
