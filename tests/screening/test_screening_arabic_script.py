"""Names written in Arabic or Persian script against the Latin names the lists give.

The script writes long vowels only: "ملت" is transliterated "mlt" and the SDN writes the bank
"MELLAT". Such a word pairs with a Latin word of the same consonants (tokens.consonant_key),
and business words and countries are read as the English word (vocabulary.ARABIC_SCRIPT_TERMS).
The listed names are the shared lists' own; the Persian and Arabic ones are how those parties
write their names (the banks' and agencies' own signs and letterheads)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from auditor.screening import DEFAULT_THRESHOLD, Screener, compare_names, explain_names
from auditor.screening.normalize import normalise_name
from auditor.screening.tokens import abjad_key, consonant_key, token_similarity

AS_OF = date(2026, 6, 1)
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


@pytest.mark.parametrize(("written", "listed", "entity_id"), [
    ("بانک ملت", "BANK MELLAT", "25019"),
    ("بانک ملی ایران", "BANK MELLI IRAN", "25578"),
    ("بانک صادرات ایران", "BANK SADERAT IRAN", "10368"),
    ("بانک سپه", "BANK SEPAH", "25580"),
    ("بانک تجارت", "BANK TEJARAT", "25677"),
    ("بانک کشاورزی", "BANK KESHAVARZI", "4639"),
    ("بانک پاسارگاد", "PASARGAD BANK", "13133"),
    ("بنیاد شهید", "BONYAD-E SHAHID", "10410"),
    ("سپاه پاسداران انقلاب اسلامی", "SEPAH-E PASDARAN ENGHELAB ISLAMI", "10391"),
    ("سازمان انرژی اتمی ایران", "ATOMIC ENERGY ORGANIZATION OF IRAN", "25627"),
    ("المصرف التجاري السوري", "COMMERCIAL BANK OF SYRIA", "12847"),
    ("قرارگاه سازندگی خاتم الانبیاء", "KHATAM AL-ANBYA", "10488"),
])
def test_a_name_in_arabic_script_finds_its_sdn_entry(screener: Screener, written: str, listed: str,
                                                     entity_id: str) -> None:
    found = {(m.list_name, m.entity_id): m for m in screener.screen(written, AS_OF)}
    assert (SDN, entity_id) in found, [(m.matched_name, m.score) for m in found.values()]
    assert found[(SDN, entity_id)].score >= DEFAULT_THRESHOLD


def test_the_explanation_shows_the_transliterated_word_and_the_word_it_paired_with(screener: Screener) -> None:
    best = screener.screen("بانک ملت", AS_OF)[0]
    assert best.matched_name == "BANK MELLAT"
    assert "MLT~mellat" in best.explanation["reason"]


@pytest.mark.parametrize(("a", "b"), [
    ("بانک ملی", "Bank Mellat"),  # "mly" is Melli, not Mellat: another bank
    ("بانک ملت", "Bank Melli"),
    ("ملت", "Mellat Investment Bank"),  # one word, paired by its consonants alone
    ("بانک سپه", "Bank Saderat"),
    ("بانک ملت", "Bank of Malta"),  # the consonants of "Malta", a place, not a name
])
def test_names_in_arabic_script_do_not_match_other_parties(a: str, b: str) -> None:
    assert compare_names(a, b) < DEFAULT_THRESHOLD, explain_names(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("مصرف سورية المركزي", "Central Bank of Syria"),
    ("مؤسسة الطيران العربية السورية", "Syrian Arab Aviation Foundation"),
    ("هواپیمایی ماهان", "Mahan Aviation"),
    ("شرکت نفت پارس", "Pars Oil Company"),  # the legal form read as one
    ("بانک تهران", "Tehran Bank"),
    # Persian words the lists write as names and also translate.
    ("شرکت ملی نفت ایران", "National Iranian Oil Company"),
    ("بانک توسعه صادرات ایران", "Export Development Bank of Iran"),
    ("بانک ملی ایران", "Bank Melli Iran"),
    # Persian industries, electronics (whose "ال" is no article) and tanker.
    ("صنایع الکترونیک ایران", "Iran Electronics Industries"),
    ("شرکت ملی نفتکش ایران", "National Iranian Tanker Company"),
])
def test_business_words_and_countries_in_arabic_script_read_as_english(a: str, b: str) -> None:
    assert compare_names(a, b) >= DEFAULT_THRESHOLD, explain_names(a, b)


def test_a_word_in_arabic_script_pairs_only_with_its_consonants_plus_vowels() -> None:
    # The script writes no short vowel and no doubled consonant; "w" and "y" are vowels too.
    assert abjad_key("MLT") == consonant_key("mellat") == "mlt"
    assert abjad_key("SHHYD") == consonant_key("shahid")
    assert abjad_key("SPH") == consonant_key("sepah")  # "p" then "h", not "ph"
    assert token_similarity("MLT", "mellat") == token_similarity("mellat", "MLT") > 0
    assert token_similarity("MLT", "melli") == 0
    # Much longer than the written word: more than vowels added.
    assert token_similarity("MLT", "multilateral") == 0
    # Two transliterated words compare as written.
    assert token_similarity("MLT", "MLT") == 1.0 and token_similarity("MLT", "MLY") == 0


def test_generic_words_transliterated_elsewhere_are_recognised_by_their_consonants() -> None:
    # "بنیاد" is "bnyad"; the vocabulary's Persian "bonyad" is "foundation".
    assert normalise_name("بنیاد شهید").tokens == ("foundation", "SHHYD")
    assert normalise_name("المصرف التجاري").tokens == ("bank", "commercial")


def test_the_index_finds_what_comparing_finds_for_names_in_arabic_script() -> None:
    """Screening reaches a listed name through the consonants of a transliterated word: it
    reports what comparing the name with every listed name reports (as
    test_screening_screener's brute-force test, on SDN entries that have such words)."""
    from auditor.refdata.importers import IMPORTERS

    from .conftest import compared_one_by_one, shared_lists

    queries = ["بانک ملت", "بانک صادرات ایران", "بنیاد شهید", "سپاه پاسداران", "بانک کشاورزی ایران",
               "شرکت کشتیرانی دریای خزر", "مؤسسة الحرمين الخيرية", "شرکت ملی نفت ایران", "بانک توسعه صادرات"]
    keys = {abjad_key(t) for q in queries for t in normalise_name(q).tokens if t.isupper()}
    entries = IMPORTERS["ofac-sdn"].parse(shared_lists() / "ofac_sdn_2019.csv").entries
    with_words = [e for e in entries if any(consonant_key(w) in keys for n in (e.name, *e.aliases)
                                             for w in normalise_name(n).tokens)]
    sample = with_words + random.Random(5).sample(entries, 400)
    assert len(with_words) >= 20  # the lists do write these words
    screener = Screener(sample)
    matched = 0
    for query in queries:
        got = {(m.list_name, m.entity_id): m.score for m in screener.screen(query, AS_OF)}
        assert got == compared_one_by_one(query, sample, AS_OF), query
        matched += bool(got)
    assert matched >= 4  # Mellat, Saderat, Keshavarzi, NIOC (the 2019 file has no alternate names)
