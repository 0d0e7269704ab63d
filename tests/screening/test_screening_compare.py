"""Behaviour of compare_names a user relies on: identity, symmetry, the issue's examples,
Chinese and Cyrillic names, generic-word guard, numbers and places, empty input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from auditor.screening import DEFAULT_THRESHOLD, compare_names, normalise_name

PAIRS = Path(__file__).with_name("pairs.csv")


def _pairs() -> list[tuple[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return [(row["name_a"], row["name_b"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    "name",
    [
        "Sophgo Technologies Co., Ltd",
        "BELLETECH CORP",
        "11420 CORP.",
        "华为技术有限公司",
        'ООО "БитРивер-Б"',
        "Limited",  # nothing but a legal form is still a name
        "AL-HARAMAIN : TANZANIA BRANCH",
    ],
)
def test_identical_names_score_one(name: str) -> None:
    assert compare_names(name, name) == 1.0


def test_scores_are_symmetric_and_within_bounds() -> None:
    for a, b in _pairs():
        forward, backward = compare_names(a, b), compare_names(b, a)
        assert forward == backward, (a, b)
        assert 0.0 <= forward <= 1.0


@pytest.mark.parametrize(
    "a, b",
    [
        ("Sophgo Technologies Co., Ltd", "SOPHGO TECHNOLOGIES LTD."),  # legal-form variants
        ("Sophgo Tech Ltd", "SOPHGO TECHNOLOGIES LTD."),  # abbreviated generic word
        ("SOPHGO TECHNOLOGIES PTE. LTD.", "Sophgo Technologies Pte Ltd"),
        ("Sophgo", "Qingdao Sophgo Technologies Ltd."),  # extra place and generic word
        ("Ｓｏｐｈｇｏ　Ｔｅｃｈｎｏｌｏｇｉｅｓ", "Sophgo Technologies"),  # full-width (NFKC)
        ("Belletech Corp", "BELETECH CORPORATION"),  # one-letter typo
        ("Hua Wei Technologies", "Huawei Technologies Co., Ltd."),  # split word
    ],
)
def test_variants_of_one_name_match(a: str, b: str) -> None:
    assert compare_names(a, b) >= DEFAULT_THRESHOLD


def test_match_carried_by_generic_words_alone_is_refused() -> None:
    # The example: only the legal form "Corp" is shared.
    assert compare_names("BELLETECH CORP", "11420 CORP.") < DEFAULT_THRESHOLD
    # Sharing place, business words and legal form is not enough either.
    assert compare_names("Shenzhen Bitmain Technologies Ltd", "Shenzhen Sophgo Technologies Ltd") < DEFAULT_THRESHOLD
    assert compare_names("Canaan Creative Co., Ltd.", "Sophgo Technologies Co., Ltd.") < DEFAULT_THRESHOLD
    # Many shared generic words, one distinctive word each: capped at 0.5.
    assert compare_names(
        "Zeta China Mobile Telecom Electronics Technology Group",
        "China Mobile Telecom Electronics Technology Group Holding",
    ) == 0.5


def test_a_name_made_of_generic_words_matches_its_variants() -> None:
    assert compare_names("China Electronics Technology Group Corporation", "CHINA ELECTRONICS TECHNOLOGY GROUP CORP.") == 1.0
    assert compare_names("China Telecom", "China Telecom Corporation Limited") >= DEFAULT_THRESHOLD
    # … but not a different generic name.
    assert compare_names("China Mobile", "China Telecom") < DEFAULT_THRESHOLD
    assert compare_names("China South Industries Group", "China North Industries Group") < DEFAULT_THRESHOLD


def test_different_numbers_or_places_mean_different_parties() -> None:
    assert compare_names("CASIC 3rd Academy 239 Factory", "CASIC 3rd Academy 159 Factory") == 0.5
    assert compare_names("99TH LIGHT INFANTRY DIVISION", "33RD LIGHT INFANTRY DIVISION") == 0.5
    assert compare_names("Shelimar Holdings II, Inc", "Shelimar Holdings III, Inc") == 0.5
    assert compare_names(
        "Semiconductor Manufacturing International (Tianjin) Corporation",
        "Semiconductor Manufacturing International (Beijing) Corporation",
    ) == 0.5
    # Spelled-out and numeric ordinals are the same number.
    assert compare_names("Second Academy of Natural Sciences", "2nd Academy of Natural Sciences") == 1.0


def test_chinese_company_names() -> None:
    # 有限公司 is a legal form, 技术 "technology", 华为 is transliterated to "huawei".
    assert compare_names("华为技术有限公司", "Huawei Technologies Co., Ltd.") == 1.0
    assert compare_names("深圳市大疆百旺科技有限公司", "Shenzhen Dajiang Baiwang Technology Co., Ltd.") == 1.0
    # Bitmain (比特大陆) and Sophgo (算能) share only 科技 and 有限公司.
    assert compare_names("深圳市比特大陆科技有限公司", "算能科技有限公司") < DEFAULT_THRESHOLD


def test_cyrillic_company_names() -> None:
    assert compare_names('ООО "БитРивер-Б"', "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU BITRIVER-B") == 1.0
    assert compare_names("Роснефть", "ROSNEFT") == 1.0
    # й is romanised "i" by rigour and "y" in the English name: a transliteration variant.
    assert compare_names("АО Концерн Алмаз-Антей", "Concern Almaz-Antey JSC") >= DEFAULT_THRESHOLD
    assert compare_names("Транснефть-Сибирь", "Транснефть-Север") < DEFAULT_THRESHOLD


@pytest.mark.parametrize("a, b", [("", ""), ("", "Sophgo"), ("   ", "Sophgo"), ("!!!", "!!!"), ("-", "—")])
def test_empty_or_punctuation_only_names_never_match(a: str, b: str) -> None:
    assert compare_names(a, b) == 0.0


def test_normalised_forms() -> None:
    sophgo = normalise_name("Sophgo Technologies Co., Ltd")
    assert sophgo.tokens == ("sophgo", "technology")
    assert sophgo.legal_forms == ("llc",)
    assert normalise_name("华为技术有限公司").tokens == ("huawei", "technology")
    assert normalise_name('ООО "БитРивер"').tokens == ("bitriver",)
    assert normalise_name('ООО "БитРивер"').legal_forms == ("llc",)
    # A parenthesised acronym of the name itself is dropped; another alias is optional.
    assert normalise_name("Shanghai Aircraft Manufacturing Co. Ltd. (SAMC)").qualifiers == ()
    assert normalise_name("Dawning Information Industry Co., Ltd. (Sugon)").qualifiers == ("sugon",)


def test_explanation_names_the_parts_and_the_penalty() -> None:
    from auditor.screening import explain_names

    e = explain_names(
        "Zeta China Mobile Telecom Electronics Technology Group",
        "China Mobile Telecom Electronics Technology Group Holding",
    )
    assert e["a_normalised"] == "zeta china mobile telecom electronics technology group"
    assert e["unmatched_a"] == ["zeta"] and e["unmatched_b"] == ["holding"]
    assert all(t["generic"] for t in e["matched_tokens"]) and len(e["matched_tokens"]) == 6
    # six generic pairs (6 x 0.3) against zeta (1) and holding (0.3, not 0.15: both names
    # have words left over): 1.8 / 3.1, capped at 0.5
    assert e["token_score"] == round(1.8 / 3.1, 4)
    assert e["score"] == 0.5
    assert e["penalties"] == ["capped at 0.50: no distinctive word in common, only generic words"]
    # The explanation is given from the caller's side whatever the internal order.
    swapped = explain_names(
        "China Mobile Telecom Electronics Technology Group Holding",
        "Zeta China Mobile Telecom Electronics Technology Group",
    )
    assert swapped["unmatched_a"] == ["holding"] and swapped["unmatched_b"] == ["zeta"]
    assert explain_names("BELLETECH CORP", "11420 CORP.")["reason"] == (
        "no words in common; unmatched words: 11420, belletech; legal forms ignored"
    )


def test_token_similarity_typos_transliterations_and_numbers() -> None:
    from auditor.screening.tokens import token_similarity

    assert token_similarity("sopgho", "sophgo") > 0  # transposed letters
    assert token_similarity("tekhnodinamika", "teknodinamika") > 0  # kh / k
    assert token_similarity("antei", "antey") > 0  # й as i / y
    assert token_similarity("alnaser", "naser") > 0  # joined Arabic article
    assert token_similarity("11420", "11421") == 0.0  # numbers must be equal
    assert token_similarity("beijing", "nanjing") == 0.0
    assert token_similarity("zte", "zta") == 0.0  # short words must be equal
