"""Names written in Korean (Hangul) against the Latin names the lists give.

North Korean parties are listed by their names translated ("Korea Mining Development Trading
Corporation") and romanised as the North does, McCune-Reischauer without its marks ("Tanchon",
"Ryonbong"); rigour romanises Hangul as the South does ("dancheon", "lyeonbong"). Business
words are read as the English word (vocabulary.CJK_TERMS) and the rest romanised as the
lists do (normalize._hangul). The Korean names are the parties' own (KOMID's 조선광업개발무역회사)."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.screening import DEFAULT_THRESHOLD, Screener, compare_names
from auditor.screening.normalize import normalise_name

AS_OF = date(2026, 6, 1)


@pytest.mark.parametrize(("written", "entity_id", "listed"), [
    ("조선광업개발무역회사", "9345", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
    ("단천상업은행", "9346", "TANCHON COMMERCIAL BANK"),
    ("조선련봉총회사", "9347", "KOREA RYONBONG GENERAL CORPORATION"),
])
def test_a_north_korean_name_in_hangul_finds_its_sdn_entry(screener: Screener, written: str, entity_id: str,
                                                           listed: str) -> None:
    found = {m.entity_id: m for m in screener.screen(written, AS_OF)}
    assert entity_id in found, [(m.entity_id, m.matched_name) for m in found.values()]
    assert found[entity_id].matched_name == listed


def test_hangul_is_romanised_as_the_lists_write_korean_names() -> None:
    # Plosives voiced between voiced sounds, aspirated ones not; a syllable's silent ㅇ dropped.
    assert normalise_name("단천").tokens == ("tanchon",)
    assert normalise_name("련봉").tokens == ("ryonbong",)
    assert normalise_name("평양").tokens == ("pyongyang",)
    # Korea's legal forms set aside as legal forms (Commercial Act, art. 170).
    assert normalise_name("삼성전자주식회사").legal_forms == ("jsc",)
    assert compare_names("삼성전자주식회사", "Samsung Electronics Co., Ltd.") >= DEFAULT_THRESHOLD


def test_a_south_korean_company_in_hangul_raises_no_sdn_hit(screener: Screener) -> None:
    assert screener.screen("삼성전자주식회사", AS_OF) == []
    assert screener.screen("에스케이하이닉스", AS_OF) == []  # SK hynix
