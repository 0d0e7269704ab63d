"""Similarity of two name words (tokens): spelling variants, typos, transliterations.

Two tokens pair up when their rapidfuzz OSA similarity (Levenshtein distance with
transpositions, normalised by the longer length) reaches ``TOKEN_MATCH_MIN``, or that of
their transliteration skeletons (discounted slightly). Numbers must be equal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA
from rigour.text.translit import ascii_text

from auditor.screening.vocabulary import ARABIC_SCRIPT_EITHER, GENERIC_WORDS

# Two tokens pair up from this similarity: one edit in a 5-letter word, two in a 10-letter
# word; 4-letter words only by swapping two adjacent letters ("Amce" / "Acme"), since one
# other letter changed in so short a word makes another name ("Kudo" / "Kodo"); shorter
# words must be equal (or equal in skeleton).
TOKEN_MATCH_MIN = 0.80
SHORT_SWAP_SIMILARITY = 0.75
# Spelling differences between romanisation systems (Cyrillic "х" and Arabic "خ" as kh/h —
# rigour writes "h", the lists mostly "kh" —, Arabic "ث"/"غ" as th/t, gh/g, "й" as i/y, "ц" as
# ts/c; pinyin/Wade-Giles/English "ou"/"u"; Korean initial "ry"/"y") reduced to one skeleton,
# so "Antei"/"Antey", "Rostekh"/"Ростех" (rigour: "rosteh"), "Hongdou"/"Hongdu" pair up.
# One left-to-right pass over these (longest first), then doubled letters made single.
_SKELETON_MAP = {
    "shch": "sh", "sch": "sh", "tch": "ch",
    "kh": "h", "gh": "g", "th": "t", "dh": "d",
    "tsh": "ch", "tzh": "ch", "ts": "k", "tz": "k",  # ts/tz read as c, and c as k unless before h
    "ck": "k", "q": "k", "x": "ks", "ch": "ch", "c": "k",
    "ph": "f", "w": "v", "y": "i", "ou": "u", "oo": "u", "ee": "i",
    # Russian ж and дж are written zh / dzh in English romanisation and j in French- and
    # Turkic-style spellings the lists also carry ("PEZHAK" / "PEJAK", "Alimzhan" / "Alimjan").
    "dzh": "j", "zh": "j",
}
_SKELETON_RE = re.compile("|".join(sorted(map(re.escape, _SKELETON_MAP), key=len, reverse=True)))
_DOUBLE_RE = re.compile(r"(.)\1+")
_NO_VOWEL_RE = re.compile(r"[b-df-hj-np-tv-xz]+$")
# A pair equal only after that reduction is a near-certain, not a certain, match.
SKELETON_DISCOUNT = 0.95
# Words whose skeletons differ only in vowels ("Mohammad" / "Muhammad", "Hussein" /
# "Hussain") pair, as a likely, not near-certain, match: below ``match.BARE_WORD_MIN``, so
# two one-word names never match this way, and a lone shared word paired so is vetoed as a
# sound-alike when other words differ.
VOWEL_VARIANT_SIMILARITY = 0.85
VOWEL_VARIANT_MIN_LENGTH = 4
VOWEL_VARIANT_MIN_CONSONANTS = 3
_VOWEL_RE = re.compile("[aeiou]")
# A Russian adjective in "-sk-" in any of its endings, as transliterated ("Лаборатория
# Касперского": "kasperskogo"; "Магнитогорский": "magnitogorsky" / "magnitogorskiy") or
# as English writes the brand or place ("Kaspersky", "Magnitogorsk"): the stem up to "sk".
# Such two words are one word (similarity 1.0), not a sound-alike ("Kaspersky" / "Kasperski
# Lab").
_ADJECTIVE_RE = re.compile(r"^([a-z]{3,}sk)(?:ogo|ovo|aya|aia|oye|oe|iye|ie|ii|iy|ij|yi|y|i|oi|oy|omu|om|ikh|ih|im)?$")
_ADJECTIVE_LAST = frozenset("kyiaeomh")  # the last letters of those endings
_EPSILON = 1e-9


@lru_cache(maxsize=1 << 17)
def translit_skeleton(token: str) -> str:
    if token.startswith("ry"):
        # Korean initial ㄹ before i/y is written "r" in the North's romanisation and dropped
        # in the South's: "Ryonbong" / "Yonbong", "Ryugyong" / "Yugyong".
        token = token[1:]
    elif token.startswith("ye"):
        # Cyrillic initial "Е" is "ye" in English romanisation and "e" in passports and
        # French-style spellings: "Yevgeny" / "Evgeniy", "Yekaterinburg" / "Ekaterinburg".
        token = token[1:]
    mapped = _SKELETON_RE.sub(lambda m: _SKELETON_MAP[m.group(0)], token)
    if _NO_VOWEL_RE.match(token):
        # Initials ("CRCC", "CRRC"): a doubled letter is another word's initial, not a
        # spelling of one sound.
        return mapped
    return _DOUBLE_RE.sub(r"\1", mapped)


@lru_cache(maxsize=1 << 17)
def vowel_skeleton(token: str) -> str | None:
    """The transliteration skeleton with its vowels masked ("Mohammad", "Muhammad" →
    "m*h*m*d"; "Hussein", "Hussain" → "h*s**n"; "Qods", "Quds" → "k*ds"), for words of at
    least ``VOWEL_VARIANT_MIN_LENGTH`` letters, as written and as skeleton, with at least
    three consonants, written so in a four-letter word ("Nexa" is "neksa", and still one
    vowel from "Nexo"); None for others. Romanisations of Arabic (and Persian, Urdu) names
    differ mostly in the vowels the script does not write. With two consonants too many
    words agree ("Rossiia" / "Russia": "Bank Rossiya" is not the "Bank of Russia")."""
    skeleton = translit_skeleton(token)
    if min(len(token), len(skeleton)) < VOWEL_VARIANT_MIN_LENGTH or not skeleton.isalpha():
        return None
    if len(token) == VOWEL_VARIANT_MIN_LENGTH and len(_VOWEL_RE.sub("", token)) < VOWEL_VARIANT_MIN_CONSONANTS:
        return None
    masked = _VOWEL_RE.sub("*", skeleton)
    return masked if len(masked) - masked.count("*") >= VOWEL_VARIANT_MIN_CONSONANTS else None


def adjective_stem(token: str) -> str | None:
    """The stem of a Russian "-sk-" adjective in any of its endings ("kasperskogo",
    "kaspersky", "kasperski" → "kaspersk": ``_ADJECTIVE_RE``), or None."""
    if not token or token[-1] not in _ADJECTIVE_LAST:
        return None
    match = _ADJECTIVE_RE.match(token)
    return match.group(1) if match else None


def _same_adjective(a: str, b: str) -> bool:
    """True if two words are one Russian "-sk-" adjective in two endings (``_ADJECTIVE_RE``)."""
    stem = adjective_stem(a)
    return stem is not None and stem == adjective_stem(b)


# A word transliterated from Arabic or Persian script, which writes long vowels only
# ("ملت" → "MLT", "Mellat"; "شهید" → "SHHYD", "Shahid"), is written in capitals: every
# other token is in lower case (normalize.py). It pairs at this similarity with a Latin word
# whose consonants are its own (``consonant_key``) and that it could spell with the short
# vowels added: a likely, not a near-certain, match (as VOWEL_VARIANT_SIMILARITY: never a
# one-word match alone).
ABJAD_SIMILARITY = VOWEL_VARIANT_SIMILARITY
_UNWRITTEN_RE = re.compile("[aeiouv]")  # after translit_skeleton: vowels, and "w" (و: v, o, u)
# How the transliteration of Arabic script spells its letters (rigour: "ش" sh, "خ" kh, "غ" gh,
# "ث" th, "ذ" dh, "ژ" zh, "چ" ch, "ق" q, "ا" a, "و" w, "ی" y), read as ``consonant_key`` reads a
# Latin word: a letter pair here is always one letter there ("سپه" is "sph", Sepah, not "sf").
_ABJAD_LETTERS = {"sh": "sh", "kh": "h", "gh": "k", "th": "t", "dh": "d", "zh": "j", "ch": "ch",
                  "q": "k", "g": "k", "a": "", "e": "", "i": "", "o": "", "u": "", "w": "", "y": ""}
_ABJAD_LETTER_RE = re.compile("sh|kh|gh|th|dh|zh|ch|.")


def _key_end(key: str) -> str:
    key = _DOUBLE_RE.sub(r"\1", key)
    return key[:-1] if len(key) > 2 and key.endswith("h") else key


@lru_cache(maxsize=1 << 16)
def consonant_key(token: str) -> str:
    """The consonants of a Latin word as Arabic script writes them: its transliteration
    skeleton without vowels (nor "w", "y", vowels there too), "g" as "k" ("q", "gh"), doubled
    letters single (the script does not write a doubled consonant), less a closing "h" (the
    silent "ه" or "ة": "Moassese" / "Moasseseh"). "Mellat" is "mlt", "Saderat" "sdrt", "Iran"
    "rn", as are "ملت", "صادرات" and "ایران" (``abjad_key``)."""
    return _key_end(_UNWRITTEN_RE.sub("", translit_skeleton(token).replace("g", "k")))


@lru_cache(maxsize=1 << 12)
def abjad_key(token: str) -> str:
    """``consonant_key`` of a word transliterated from Arabic script (``is_abjad``)."""
    letters = _ABJAD_LETTER_RE.findall(token.casefold())
    return _key_end("".join(_ABJAD_LETTERS.get(letter, letter) for letter in letters))


def without_arabic_article(word: str) -> str:
    """A word in Arabic script without its article "ال" (or "لل", for the): "المصرف" → "مصرف"."""
    return _ARABIC_ARTICLE_RE.sub("", word)


def abjad_transliteration(word: str) -> str:
    """A word in Arabic script, transliterated as a token (``is_abjad``: in capitals), its
    article "ال" (or "لل") taken off and a closing "ة" read as the "ه" it is written as:
    "الملت" → "MLT". Empty when nothing alphanumeric is left."""
    word = without_arabic_article(word)
    latin = _NON_ALNUM_RE.sub("", ascii_text(word.replace("ة", "ه")).casefold())  # "ع" is "?"
    return latin if latin.isdigit() else latin.upper()


_ARABIC_ARTICLE_RE = re.compile(r"^(?:ال|لل)(?=..)")  # "al-", and "li-l-" (for the): "للتجارة"
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=1)
def abjad_either() -> dict[str, str]:
    """``vocabulary.ARABIC_SCRIPT_EITHER`` by transliterated token: "MLY" → "national"."""
    return {abjad_transliteration(word): english for word, english in ARABIC_SCRIPT_EITHER.items()}


def is_abjad(token: str) -> bool:
    """True for a word transliterated from Arabic or Persian script (see ABJAD_SIMILARITY)."""
    return token.isupper()


def _abjad_similarity(abjad: str, latin: str) -> float:
    """Similarity of a transliterated Arabic-script word and a Latin one: as plain words, or
    ABJAD_SIMILARITY when the Latin word has the same consonants (two at least) and is no more
    than about twice as long (the short vowels the script leaves out). Not with a generic
    word ("ملت", Mellat, has the consonants of "Malta"): the script's generic words and places
    are read as English before (``vocabulary.ARABIC_SCRIPT_TERMS``)."""
    if abjad_either().get(abjad) == latin:
        return 1.0  # "ملی" / "national": the word translated
    plain = token_similarity(abjad.casefold(), latin)
    if (plain < ABJAD_SIMILARITY and latin.isalpha() and len(latin) <= 2 * len(abjad) + 1
            and latin not in GENERIC_WORDS):
        key = abjad_key(abjad)
        if len(key) >= 2 and key == consonant_key(latin):
            return ABJAD_SIMILARITY
    return plain


@lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str) -> float:
    """Similarity of two tokens in [0, 1]; 0 below ``TOKEN_MATCH_MIN``."""
    if a == b:
        return 1.0
    if a.isupper() or b.isupper():  # transliterated from Arabic script (is_abjad)
        if a.isupper() and b.isupper():
            return token_similarity(a.casefold(), b.casefold())
        return _abjad_similarity(a, b) if a.isupper() else _abjad_similarity(b, a)
    if not (a.isalpha() and b.isalpha()):
        return 0.0  # "11420" vs "11421", "13" vs "14": numbers identify, they are not typos
    if _too_far_apart(a, b):
        return 0.0
    return _similarity(a, b)


def _too_far_apart(a: str, b: str) -> bool:
    """True when no way of ``_similarity`` can pair two different alphabetic tokens, told
    from their lengths and first letters: most pairs a screening scores are so (its bounds
    try a query's words against every word of the names it reaches, and nine in ten pair
    with nothing), and this is a fraction of the cost of scoring them.

    * spelling: an OSA distance is at least the difference in length, and rapidfuzz
      normalises it by the longer length;
    * transliteration skeleton: the same, for ``SKELETON_DISCOUNT`` × its similarity;
    * vowels: equal vowel skeletons have equal lengths, and start with the same consonant
      or with vowels both (a vowel is masked);
    * two four-letter words with two letters swapped, a joined Arabic article and one
      Russian adjective in two endings are left to ``_similarity``.

    ``tests/screening/test_token_similarity.py`` checks on the shared lists' words that
    ``_similarity`` scores 0 whenever this says so."""
    la, lb = len(a), len(b)
    if a[0] == b[0] and abs(la - lb) <= _SPELLING_LENGTH_GAP * max(la, lb):
        return False
    if _same_adjective(a, b) or _initial_q_gh(a, b):
        return False
    skeleton_a, skeleton_b = translit_skeleton(a), translit_skeleton(b)
    sa, sb = len(skeleton_a), len(skeleton_b)
    if skeleton_a[:1] == skeleton_b[:1] and abs(sa - sb) <= _SKELETON_LENGTH_GAP * max(sa, sb):
        return False
    if sa == sb and skeleton_a[:1] in _VOWELS and skeleton_b[:1] in _VOWELS:
        return False
    return not (la == lb == 4 or a.startswith("al") != b.startswith("al"))


def q_for_gh(token: str) -> str:
    """``token`` with a "gh" that starts it written "q": how Persian "ق" is romanised both ways
    ("Ghods" / "Qods", "Gheshm" / "Qeshm", "Ghadir" / "Qadir")."""
    return "q" + token[2:] if token.startswith("gh") else token


def _initial_q_gh(a: str, b: str) -> bool:
    """True if one word starts with "gh" and the other with "q" (``q_for_gh``)."""
    return (a.startswith("gh") and b.startswith("q")) or (a.startswith("q") and b.startswith("gh"))


# The most two words' lengths may differ, as a share of the longer, for their spelling (or
# skeletons) to reach TOKEN_MATCH_MIN; with room to spare, so rounding never decides.
_SPELLING_LENGTH_GAP = 1 - TOKEN_MATCH_MIN + 1e-6
_SKELETON_LENGTH_GAP = 1 - TOKEN_MATCH_MIN / SKELETON_DISCOUNT + 1e-6
_VOWELS = frozenset("aeiou")  # what _VOWEL_RE masks


def _similarity(a: str, b: str) -> float:
    """``token_similarity`` of two different alphabetic tokens."""
    # OSA: Levenshtein plus transpositions, the commonest typo ("Sopgho" / "Sophgo"). A
    # different first letter is rarely a typo and often another name ("Yongjin" /
    # "Pyongjin"): then only the transliteration skeleton can pair them ("Canaan" / "Kanaan").
    sim = OSA.normalized_similarity(a, b) if a[0] == b[0] else 0.0
    skeleton_a, skeleton_b = translit_skeleton(a), translit_skeleton(b)
    skeleton = 0.0
    if skeleton_a[:1] == skeleton_b[:1]:
        skeleton = SKELETON_DISCOUNT * OSA.normalized_similarity(skeleton_a, skeleton_b)
    sim = max(sim, skeleton)
    if _same_adjective(a, b):
        return 1.0  # one word, in two of its endings or romanisations ("Kaspersky" / "Kasperski")
    if sim < VOWEL_VARIANT_SIMILARITY and vowel_skeleton(a) is not None and vowel_skeleton(a) == vowel_skeleton(b):
        sim = VOWEL_VARIANT_SIMILARITY
    if _initial_q_gh(a, b):
        # Persian "ق" is written "q" and "gh" at the start of a word ("Qods" / "Ghods", "Qeshm"
        # / "Gheshm"): compared with "q" for the "gh".
        sim = max(sim, SKELETON_DISCOUNT * OSA.normalized_similarity(
            translit_skeleton(q_for_gh(a)), translit_skeleton(q_for_gh(b))))
    if len(a) == len(b) == 4 and sim < TOKEN_MATCH_MIN and OSA.distance(a, b) == 1 and sorted(a) == sorted(b):
        return SHORT_SWAP_SIMILARITY
    if a.startswith("al") != b.startswith("al"):
        # Arabic article written joined ("Alnaser" / "Naser", "Alharamein" / "Haramain").
        joined, other = (a, b) if a.startswith("al") else (b, a)
        if len(joined) >= 6:
            sim = max(sim, SKELETON_DISCOUNT * OSA.normalized_similarity(
                translit_skeleton(joined[2:]), translit_skeleton(other)))
    return sim if sim >= TOKEN_MATCH_MIN - _EPSILON else 0.0
