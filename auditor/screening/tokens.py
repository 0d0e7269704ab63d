"""Similarity of two name words (tokens): spelling variants, typos, transliterations.

Two tokens pair up when their rapidfuzz OSA similarity (Levenshtein distance with
transpositions, normalised by the longer length) reaches ``TOKEN_MATCH_MIN``, or that of
their transliteration skeletons (discounted slightly). Numbers must be equal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

# Two tokens pair up from this similarity: one edit in a 5-letter word, two in a 10-letter
# word; 4-letter words only by swapping two adjacent letters ("Amce" / "Acme"), since one
# other letter changed in so short a word makes another name ("Kudo" / "Kodo"); shorter
# words must be equal (or equal in skeleton).
TOKEN_MATCH_MIN = 0.80
SHORT_SWAP_SIMILARITY = 0.75
# Spelling differences between romanisation systems (Cyrillic "х" as kh/h/k, Arabic "ث"/"غ" as th/t, gh/g, "й" as i/y,
# "ц" as ts/c; pinyin/Wade-Giles/English "ou"/"u") reduced to one skeleton, so
# "Antei"/"Antey", "Tekhnodinamika"/"Teknodinamika", "Hongdou"/"Hongdu" pair up.
_SKELETON_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|sch", "sh"),
        (r"tch", "ch"),
        (r"([kgtd])h", r"\1"),
        (r"ts|tz", "c"),
        (r"ck|q", "k"),
        (r"x", "ks"),
        (r"c(?!h)", "k"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"y", "i"),
        (r"ou|oo", "u"),
        (r"ee", "i"),
        (r"(.)\1+", r"\1"),
    )
)
# A pair equal only after that reduction is a near-certain, not a certain, match.
SKELETON_DISCOUNT = 0.95
_EPSILON = 1e-9


@lru_cache(maxsize=1 << 17)
def translit_skeleton(token: str) -> str:
    for pattern, replacement in _SKELETON_RULES:
        token = pattern.sub(replacement, token)
    return token


@lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str) -> float:
    """Similarity of two tokens in [0, 1]; 0 below ``TOKEN_MATCH_MIN``."""
    if a == b:
        return 1.0
    if not (a.isalpha() and b.isalpha()):
        return 0.0  # "11420" vs "11421", "13" vs "14": numbers identify, they are not typos
    # OSA: Levenshtein plus transpositions, the commonest typo ("Sopgho" / "Sophgo"). A
    # different first letter is rarely a typo and often another name ("Yongjin" /
    # "Pyongjin"): then only the transliteration skeleton can pair them ("Canaan" / "Kanaan").
    sim = OSA.normalized_similarity(a, b) if a[0] == b[0] else 0.0
    skeleton_a, skeleton_b = translit_skeleton(a), translit_skeleton(b)
    skeleton = 0.0
    if skeleton_a[:1] == skeleton_b[:1]:
        skeleton = SKELETON_DISCOUNT * OSA.normalized_similarity(skeleton_a, skeleton_b)
    sim = max(sim, skeleton)
    if len(a) == len(b) == 4 and sim < TOKEN_MATCH_MIN and OSA.distance(a, b) == 1 and sorted(a) == sorted(b):
        return SHORT_SWAP_SIMILARITY
    if a.startswith("al") != b.startswith("al"):
        # Arabic article written joined ("Alnaser" / "Naser", "Alharamein" / "Haramain").
        joined, other = (a, b) if a.startswith("al") else (b, a)
        if len(joined) >= 6:
            sim = max(sim, SKELETON_DISCOUNT * OSA.normalized_similarity(
                translit_skeleton(joined[2:]), translit_skeleton(other)))
    return sim if sim >= TOKEN_MATCH_MIN - _EPSILON else 0.0
