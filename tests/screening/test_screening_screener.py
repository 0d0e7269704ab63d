"""Screener behaviour: dates, list filter, aliases, ordering, explanations, screen_many,
determinism, and agreement with compare_names on real list data."""

from __future__ import annotations

import random
from datetime import date

import pytest

from auditor.refdata.curated import load_curated
from auditor.refdata.entities import ListEntry
from auditor.screening import DEFAULT_THRESHOLD, Screener, compare_names, explain_match_text
from auditor.screening.normalize import canonical
from auditor.screening.vocabulary import GENERIC_WORDS
from tests.conftest import shared_lists
from tests.screening.conftest import compared_one_by_one

EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "OFAC SDN"
EL_EFFECT = "Licence requirement for exports, re-exports and transfers of items subject to the EAR to the party."

ENTRIES = [
    ListEntry(EL, "EL-2", "Sophgo Technologies Ltd.", start=date(2025, 1, 16),
              source="FR Doc 2025-00480, 90 FR 4621", legal_effect=EL_EFFECT),
    ListEntry(EL, "EL-1", "Sophgo Technologies Pte. Ltd.", start=date(2025, 1, 16),
              source="FR Doc 2025-00480, 90 FR 4621", legal_effect=EL_EFFECT),
    ListEntry(SDN, "36469", "BITRIVER-B LLC",
              aliases=("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU BITRIVER-B",)),
    ListEntry(EL, "EL-9", "Old Trading Partner Ltd", start=date(2019, 1, 1), end=date(2024, 6, 1)),
    ListEntry(EL, "EL-11", "11420 CORP."),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(ENTRIES)


def test_listed_name_variant_finds_both_sophgo_entries_best_first(screener: Screener) -> None:
    matches = screener.screen("Sophgo Technologies Co., Ltd", date(2025, 6, 1))
    # Both score 1.0 (legal forms are ignored): ties are ordered by entity id.
    assert [(m.entity_id, m.score) for m in matches] == [("EL-1", 1.0), ("EL-2", 1.0)]
    first = matches[0]
    assert first.list_name == EL
    assert first.name == first.matched_name == "Sophgo Technologies Pte. Ltd."
    assert first.source == "FR Doc 2025-00480, 90 FR 4621"
    assert first.legal_effect == EL_EFFECT
    assert first.entry is ENTRIES[1]


def test_entries_not_listed_on_the_date_are_ignored(screener: Screener) -> None:
    # Sophgo was added on 2025-01-16: not listed the day before.
    assert screener.screen("Sophgo Technologies Co., Ltd", date(2025, 1, 15)) == []
    assert len(screener.screen("Sophgo Technologies Co., Ltd", date(2025, 1, 16))) == 2
    # Removed on 2024-06-01 (end date exclusive).
    assert [m.entity_id for m in screener.screen("Old Trading Partner", date(2024, 5, 31))] == ["EL-9"]
    assert screener.screen("Old Trading Partner", date(2024, 6, 1)) == []


def test_lists_filter(screener: Screener) -> None:
    assert screener.screen("Sophgo Technologies Co., Ltd", date(2025, 6, 1), lists=[SDN]) == []
    assert len(screener.screen("Sophgo Technologies Co., Ltd", date(2025, 6, 1), lists=[EL])) == 2


def test_alias_match_reports_the_alias_and_the_primary_name(screener: Screener) -> None:
    [match] = screener.screen('ООО "БитРивер-Б"', date(2026, 1, 1))
    assert match.entity_id == "36469"
    assert match.name == "BITRIVER-B LLC"
    # Both the primary name and the alias normalise to "bitriver b" + a legal form; the
    # primary name comes first among equals.
    assert match.matched_name == "BITRIVER-B LLC"
    [match] = screener.screen("Obshchestvo s ogranichennoi otvetstvennostyu BitRiver-B", date(2026, 1, 1))
    assert match.score == 1.0


def test_names_made_of_generic_words_are_found_both_ways() -> None:
    screener = Screener([
        ListEntry(EL, "EL-30", "AVIC Shenyang Aircraft Company Limited"),
        ListEntry(EL, "EL-31", "China Telecom"),
    ])
    as_of = date(2026, 1, 1)
    # shenyang + aircraft identify the query: 4 / (4 + avic 1) = 0.8
    assert [(m.entity_id, m.score) for m in screener.screen("Shenyang Aircraft Co. Ltd.", as_of)] == [("EL-30", 0.8)]
    assert [m.entity_id for m in screener.screen("China Telecom Corporation Limited", as_of)] == ["EL-31"]
    assert screener.screen("China Mobile", as_of) == []


def test_generic_word_only_overlap_raises_nothing(screener: Screener) -> None:
    assert screener.screen("BELLETECH CORP", date(2026, 1, 1)) == []
    assert screener.screen("Bitmain Technologies Ltd", date(2026, 1, 1)) == []


def test_threshold_parameter(screener: Screener) -> None:
    # "Sophgo Bitmain" vs "Sophgo Technologies": sophgo pairs (weight 2), bitmain (1) and
    # the generic "technology" (0.3 when both names have words left over) do not: 2 / 3.3.
    assert screener.screen("Sophgo Bitmain Ltd", date(2025, 6, 1)) == []
    lowered = screener.screen("Sophgo Bitmain Ltd", date(2025, 6, 1), threshold=0.6)
    assert [(m.entity_id, round(m.score, 4)) for m in lowered] == [("EL-1", 0.6061), ("EL-2", 0.6061)]


def test_explanation_contents(screener: Screener) -> None:
    [match, _] = screener.screen("Qingdao Sophgo Tech Co Ltd", date(2025, 6, 1))
    e = match.explanation
    assert e["query"] == "Qingdao Sophgo Tech Co Ltd"
    assert e["matched_name"] == "Sophgo Technologies Pte. Ltd."
    assert e["query_normalised"] == "qingdao sophgo technology"
    assert e["candidate_normalised"] == "sophgo technology"
    assert e["query_legal_forms"] == ["llc"] and e["candidate_legal_forms"] == ["llc"]
    assert [(t["query"], t["candidate"], t["generic"]) for t in e["matched_tokens"]] == [
        ("sophgo", "sophgo", False), ("technology", "technology", True)]
    assert e["unmatched_query"] == ["qingdao"] and e["unmatched_candidate"] == []
    # (2 + 0.3) / (2 + 0.3 + 0.15): one unmatched generic word (a place) weighing 0.15.
    assert e["score"] == round(2.3 / 2.45, 4) == round(match.score, 4)
    assert 0 <= e["rapidfuzz"]["token_sort_ratio"] <= 1 and e["rapidfuzz"]["token_set_ratio"] == 1.0
    assert e["penalties"] == []
    assert "distinctive words matched: sophgo" in e["reason"]
    assert e["threshold"] == DEFAULT_THRESHOLD


def test_explain_match_text(screener: Screener) -> None:
    [match, _] = screener.screen("Sophgo Tech Ltd", date(2025, 6, 1))
    text = explain_match_text(match)
    assert text.startswith('"Sophgo Tech Ltd" matches its listed name "Sophgo Technologies Pte. Ltd.", '
                           f"entry EL-1 on {EL}, with score 1.00")
    assert '"sophgo technology" and "sophgo technology"' in text
    assert EL_EFFECT in text and "FR Doc 2025-00480" in text
    assert "\n" not in text


def test_scores_agree_with_compare_names(screener: Screener) -> None:
    for query in ("Sophgo Tech Ltd", "Qingdao Sophgo", "BitRiver B", "Old Trading Partner Limited"):
        for m in screener.screen(query, date(2024, 1, 1)) + screener.screen(query, date(2025, 6, 1)):
            assert m.score == compare_names(query, m.matched_name)


def test_screen_many_screens_each_distinct_name_once(screener: Screener) -> None:
    names = ["Sophgo Tech Ltd", "BELLETECH CORP", "Sophgo Tech Ltd", "BitRiver-B", "BELLETECH CORP"]
    results = screener.screen_many(names, date(2025, 6, 1))
    assert list(results) == ["Sophgo Tech Ltd", "BELLETECH CORP", "BitRiver-B"]
    for name, matches in results.items():
        assert matches == screener.screen(name, date(2025, 6, 1))


def test_results_do_not_depend_on_entry_order() -> None:
    shuffled = ENTRIES[:]
    random.Random(3).shuffle(shuffled)
    a, b = Screener(ENTRIES), Screener(shuffled)
    for query in ("Sophgo Technologies", "BitRiver-B", "Old Trading Partner"):
        assert a.screen(query, date(2024, 1, 1)) == b.screen(query, date(2024, 1, 1))


def test_curated_sophgo_entry_is_found_with_its_citation() -> None:
    curated, _ = load_curated()
    matches = Screener(curated).screen("Sophgo Technologies Co., Ltd", date(2025, 6, 1))
    top = matches[0]
    assert top.name.startswith("Sophgo Technologies") and top.score == 1.0
    assert "2025-00480" in top.source
    assert Screener(curated).screen("BELLETECH CORP", date(2025, 6, 1)) == []


def test_index_finds_what_brute_force_comparison_finds() -> None:
    """On real list data, the index must not lose matches compare_names would report."""
    from auditor.refdata.importers import IMPORTERS

    lists = shared_lists()
    entries = IMPORTERS["csl-csv"].parse(lists / "csl_2023-11_partial.csv").entries
    rnd = random.Random(11)
    sample = rnd.sample(entries, 600)
    screener = Screener(sample)
    names = [n for e in sample for n in (e.name, *e.aliases)]
    queries = [rnd.choice(names) for _ in range(60)]
    # Altered spellings: a dropped letter, upper case, an extra generic word, a legal form.
    queries += [q[:5] + q[6:] for q in queries[:20] if len(q) > 8]
    queries += [q.upper() + " TRADING CO., LTD." for q in queries[20:40]]
    queries += [" ".join(q.split()[1:]) for q in queries[40:60] if len(q.split()) > 2]  # first word lost
    queries += [f"{q.split()[-1]} {q}" for q in queries[:15] if len(q.split()) > 1]  # a word written twice
    # Business words shortened as clerks do ("Info", "Tech", "Dig"): match._recover_shortened
    # pairs them, and the index's bounds must count it (they once dropped "Dawning Info
    # Industry"). Not a distinctive word shortened ("Skym Drones"): see docs/SCREENING.md.
    queries += [" ".join(w[:4] if len(w) > 6 and canonical(w.casefold()) in GENERIC_WORDS else w for w in q.split())
                for q in queries[:40]]
    queries += ["Dawning Info Industry", "Kalashnikov Conc", "Hangzhou Hikvision Dig Tech"]
    queries += ["China Electronics Technology Group", "Shanghai Aircraft Manufacturing", "Iran Electronics Industries"]
    as_of = date(2024, 1, 1)
    for query in queries:
        got = {(m.list_name, m.entity_id): m.score for m in screener.screen(query, as_of)}
        assert got == compared_one_by_one(query, sample, as_of), query


def test_one_party_imported_from_two_sources_matches_once() -> None:
    # The CSL's SDN section and OFAC's own sdn.csv both carry SDN entry 36458.
    sdn = "Specially Designated Nationals (SDN) - Treasury Department"
    entries = [
        ListEntry(sdn, "36458", "BITRIVER-NORTH LLC", source="CSL"),
        ListEntry(sdn, "36458", "BITRIVER-NORTH LLC", aliases=("BitRiver North",), source="sdn.csv"),
        ListEntry("Entity List (EL) - Bureau of Industry and Security", "36458", "BITRIVER-NORTH LLC"),
    ]
    matches = Screener(entries).screen("BitRiver-North LLC", date(2026, 1, 1))
    assert sorted(m.list_name for m in matches) == sorted([sdn, "Entity List (EL) - Bureau of Industry and Security"])


def test_index_finds_acronyms_with_their_legal_form_repeated_words_and_generic_look_alikes() -> None:
    screener = Screener([
        ListEntry(EL, "EL-40", "ZTE Corp"),
        ListEntry(EL, "EL-41", "Advanced Micro Devices, Inc. (AMD)"),
        ListEntry(EL, "EL-44", "Applied Materials Development Inc"),
        ListEntry(EL, "EL-42", "ISSA, Issa Osman"),
        ListEntry(EL, "EL-43", "CHINA HAOKUN ENERGY CO., LTD."),
    ])
    as_of = date(2026, 1, 1)

    def found(name: str) -> list[str]:
        return [m.entity_id for m in screener.screen(name, as_of)]

    assert found("Zhongxing Telecommunication Equipment Corporation") == ["EL-40"]
    # Found through the initials; reported only where the list writes the acronym.
    assert found("AMD Inc") == ["EL-41"]
    # Three letters spell the whole of a three-word name: found, and reported where the list
    # writes them ("(AMD)"), not against "Applied Materials Development Inc".
    assert found("AMD") == ["EL-41"]
    # Nor the other way round: a listed three-letter acronym is no match for a query that
    # only spells it, unless both legal forms spell it too ("ZTE Corp" above).
    assert Screener([ListEntry(EL, "EL-45", "AMD")]).screen("Applied Materials Development", as_of) == []
    assert found("ISSA, ISSA OSMAN") == ["EL-42"]  # each "issa" pairs
    assert found("CHNA HAOKUN ENERGY CO., LTD.") == ["EL-43"]  # "chna" pairs with generic "china"


def test_index_finds_an_acronym_taking_in_a_legal_form_inside_the_name_both_ways() -> None:
    """"CNPC International" is "China National Petroleum Corporation International": the
    acronym takes in "Corporation", a legal form the comparable words leave out."""
    as_of = date(2026, 1, 1)
    long_names = Screener([
        ListEntry(EL, "EL-50", "China National Petroleum Corporation International"),
        ListEntry(EL, "EL-51", "Hongkong and Shanghai Banking Corporation Holdings"),
    ])
    assert [m.entity_id for m in long_names.screen("CNPC International Ltd", as_of)] == ["EL-50"]
    assert [m.entity_id for m in long_names.screen("HSBC Holdings plc", as_of)] == ["EL-51"]
    acronyms = Screener([ListEntry(EL, "EL-53", "NIOC Trading Company")])
    assert [m.entity_id for m in acronyms.screen("National Iranian Oil Company Trading", as_of)] == ["EL-53"]
    # Not when the run leaves a word of the name out: "CNP" + "International" is not "CNPI".
    assert compare_names("CNPI Holdings", "China National Petroleum Corporation International") < DEFAULT_THRESHOLD


def test_a_listed_vessel_is_named_by_its_name_alone() -> None:
    """OFAC lists tankers by ordinary words and their former names ("MARIA III", formerly
    "SUNRISE"): a supplier that adds words to such a word is another business."""
    screener = Screener([
        ListEntry(SDN, "15905", "MARIA III", aliases=("SUNRISE",), entity_type="vessel"),
        ListEntry(SDN, "15050", "HERO II", aliases=("HADI", "PIONEER", "ZEUS"), entity_type="vessel"),
        ListEntry(SDN, "90001", "SUNRISE TRADING FZE", entity_type="entity"),
    ])
    as_of = date(2026, 1, 1)
    assert screener.screen("Sunrise Electronics", as_of) == []
    assert screener.screen("Zeus Mining LLC", as_of) == []
    # The craft's own name, legal forms aside, still matches it; not the trading company,
    # whose only word in common is an everyday one, beside a line of business.
    assert [m.entity_id for m in screener.screen("Sunrise", as_of)] == ["15905"]
    assert [m.entity_id for m in screener.screen("Hero II", as_of)] == ["15050"]
    assert [m.entity_id for m in screener.screen("Zeus Ltd", as_of)] == ["15050"]
    # Nor do a name's initials: the SDN's tanker "MENA" (25381) is no Murata Electronics North
    # America.
    tanker = Screener([ListEntry(SDN, "25381", "MENA", entity_type="vessel")])
    assert tanker.screen("Murata Electronics North America, Inc.", as_of) == []
    assert [m.entity_id for m in tanker.screen("Mena", as_of)] == ["25381"]
    # A company of that name is still found when the supplier is that company.
    assert [m.entity_id for m in screener.screen("Sunrise Trading", as_of)] == ["90001"]


def test_a_place_the_listed_party_is_located_at_does_not_veto_its_match() -> None:
    """"Sophgo Technologies Ltd. (Singapore)" is the Entity List's Singapore Sophgo: a place
    in brackets names another party (a branch, a subsidiary) only where the listed party is
    not located, by its country or its address."""
    screener = Screener([
        ListEntry(EL, "EL-1", "Sophgo Technologies Pte. Ltd.", country="SG"),
        ListEntry(EL, "EL-2", "Sophgo Technologies Ltd.", country="CN"),
        ListEntry(EL, "EL-3", "Kestrel Avionics Co., Ltd.",
                  addresses=("No. 8 Keji Road, Nanshan District, Shenzhen, Guangdong, 518000, CN",)),
    ])
    as_of = date(2026, 1, 1)
    found = screener.screen("Sophgo Technologies Ltd. (Singapore)", as_of)
    assert [m.entity_id for m in found] == ["EL-1"]
    assert "located there (singapore)" in found[0].explanation["reason"]
    assert [m.entity_id for m in screener.screen("Kestrel Avionics (Shenzhen) Co., Ltd.", as_of)] == ["EL-3"]
    # Elsewhere the place still names another party.
    assert screener.screen("Kestrel Avionics (Thailand) Co., Ltd.", as_of) == []


def test_of_equal_scores_the_list_with_the_graver_effect_comes_first() -> None:
    # OFAC gives Sberbank one entity number on the SDN list and the SSI list; both names
    # score 1.00. `screen --limit 1` shows the first: it must be the blocking SDN entry,
    # not the sectoral one (medium in an audit).
    ssi = "Sectoral Sanctions Identifications List (SSI) - Treasury Department"
    sdn = "Specially Designated Nationals (SDN) - Treasury Department"
    from auditor.cli.screen_cmd import by_effect

    entries = [ListEntry(ssi, "17018", "PJSC SBERBANK"), ListEntry(sdn, "17018", "PJSC SBERBANK")]
    matches = by_effect(Screener(entries).screen("Sberbank", date(2026, 6, 1)))
    assert [m.list_name for m in matches] == [sdn, ssi]


def test_a_bundled_entry_an_imported_list_gives_again_is_shown_once() -> None:
    """The bundled 1260H entry for Huawei and the imported 1260H file's are one party: `screen`
    showed it twice and counted it twice. While the imported version does not list the party
    that day, the bundled entry still counts."""
    dod = "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense"
    bundled = ListEntry(dod, "curated:1260h:huawei-technologies-co-ltd@2021-06-03", "Huawei Technologies Co., Ltd.",
                        start=date(2021, 6, 3))
    imported = ListEntry(dod, "huawei-technologies-co-ltd@2025-01-07", "HUAWEI TECHNOLOGIES CO., LTD",
                         start=date(2025, 1, 7))
    screener = Screener([bundled, imported])
    found = screener.screen("Huawei Technologies Co Ltd", date(2026, 6, 1))
    assert [m.entity_id for m in found] == ["huawei-technologies-co-ltd@2025-01-07"]
    before = screener.screen("Huawei Technologies Co Ltd", date(2024, 6, 1))
    assert [m.entity_id for m in before] == ["curated:1260h:huawei-technologies-co-ltd@2021-06-03"]


def test_a_place_the_listed_name_names_is_not_waived_where_the_list_gives_no_location() -> None:
    """Where the list gives no place for a party, a place the query adds does not veto ("Bank
    Mellat (Iran)" / "BANK MELLAT"); but where the listed name names a place of its own the
    query lacks, the two names say two places (a tryout's false hit, and SDN entries that
    matched each other: the governments of North Korea and of Syria)."""
    screener = Screener([
        ListEntry(SDN, "18995", "RUSSIAN FINANCIAL ALLIANCE BANK"),
        ListEntry(SDN, "90002", "GOVERNMENT OF SYRIA"),
        ListEntry(SDN, "25019", "BANK MELLAT"),
    ])
    as_of = date(2026, 1, 1)
    assert screener.screen("Western Alliance Bank", as_of) == []
    assert screener.screen("Government of North Korea", as_of) == []
    assert [m.entity_id for m in screener.screen("Bank Mellat (Iran)", as_of)] == ["25019"]
