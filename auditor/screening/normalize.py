"""Normalisation of company and person names into comparable tokens.

Pipeline (each step exists because real list data needs it):

1. Unicode NFKC and casefold — full-width letters, ligatures and "ß" compare equal to their
   plain forms.
2. Chinese / Japanese legal forms and generic words ("有限公司", "科技", "深圳市") are replaced by
   English tokens; the remaining runs of Han characters become one pinyin token each, so
   "华为" and "Huawei" agree (``vocabulary.CJK_TERMS``).
3. Tokenisation with rigour (punctuation and symbols split tokens, "Co.,Ltd." → "co ltd",
   "S.A." → "sa", "Int'l" → "intl").
4. Company-type words reduced to a generic class with rigour's org-type database
   (``replace_org_types_compare(generic=True)``: "Co., Ltd." / "GmbH" / "ООО" → ``llc``,
   "JSC" / "AG" / "Aktsionernoe obshchestvo" → ``jsc``), once in the original script and
   once after transliteration.
5. Transliteration of every other script to ASCII (rigour's ``ascii_text``: rigour's own
   spellings for Cyrillic — "Битривер" → "bitriver" — ICU's for the rest).
6. Legal forms set aside, stopwords dropped, generic-word variants canonicalised
   ("technologies", "tech" → "technology").

The result keeps the distinctive and generic tokens in their original order; matching is
order-insensitive but explanations read better in order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import replace_org_types_compare, tokenize_name
from rigour.text.translit import ascii_text

from auditor.screening.vocabulary import (
    CJK_TERMS,
    GENERIC_WORDS,
    LEGAL_FORMS,
    STOPWORDS,
    SYNONYMS,
)

# Evidence weight of a token (see match.py): generic words count for a quarter of a
# distinctive word. Stopwords and legal forms are not tokens at all.
DISTINCTIVE_WEIGHT = 1.0
GENERIC_WEIGHT = 0.25

_CJK_TERM_RE = re.compile("|".join(sorted(map(re.escape, CJK_TERMS), key=len, reverse=True)))
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]+")
_ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class NormalisedName:
    """A name reduced to comparable parts.

    ``tokens``: distinctive and generic words (canonical, ASCII, original order);
    ``legal_forms``: the company-type classes found ("llc", "jsc", "co" …), in order.
    """

    original: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]

    @property
    def text(self) -> str:
        """The comparable form: tokens joined by spaces (legal forms excluded)."""
        return " ".join(self.tokens)

    @property
    def key(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Identity of the normalised form: names with equal keys are the same name."""
        return (self.tokens, tuple(sorted(set(self.legal_forms))))

    @property
    def is_empty(self) -> bool:
        return not self.tokens


def is_generic(token: str) -> bool:
    """True for words that describe a business or place rather than name one party."""
    return token in GENERIC_WORDS


def token_weight(token: str) -> float:
    return GENERIC_WEIGHT if token in GENERIC_WORDS else DISTINCTIVE_WEIGHT


def _replace_cjk(text: str) -> str:
    """Replace CJK legal forms/generic words by English tokens, pinyin the rest per run."""
    if not _HAN_RE.search(text):
        return text
    text = _CJK_TERM_RE.sub(lambda m: f" {CJK_TERMS[m.group(0)]} ", text)
    # Each remaining run of Han/kana characters is one name part: join its syllables.
    return _HAN_RE.sub(lambda m: " " + ascii_text(m.group(0)).replace(" ", "") + " ", text)


def _ascii_token(token: str) -> list[str]:
    if token.isascii():
        return [token]
    latin = ascii_text(token).casefold()
    return [part for part in _NON_ALNUM_RE.split(latin) if part]


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> NormalisedName:
    """Normalise one name (see the module docstring for the steps)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = _replace_cjk(text)
    tokens = tokenize_name(text)
    if not tokens:
        return NormalisedName(name, (), ())
    # Legal forms in the original script (Cyrillic "ООО", "Акционерное общество" …).
    joined = replace_org_types_compare(" ".join(tokens), generic=True)
    latin: list[str] = []
    for token in joined.split():
        latin.extend(_ascii_token(token))
    # … and in Latin script, including transliterated long forms.
    latin = replace_org_types_compare(" ".join(latin), generic=True).split()

    words: list[str] = []
    legal: list[str] = []
    for token in latin:
        ordinal = _ORDINAL_RE.match(token)
        if ordinal:
            token = ordinal.group(1)
        if token in LEGAL_FORMS:
            legal.append(token)
        elif token in STOPWORDS:
            continue
        else:
            words.append(SYNONYMS.get(token, token))
    if not words:
        # A name made only of legal forms or stopwords ("Limited", "The Company") is still a
        # name: compare what there is rather than nothing.
        words = legal or [t for t in latin]
        legal = []
    return NormalisedName(name, tuple(words), tuple(legal))
