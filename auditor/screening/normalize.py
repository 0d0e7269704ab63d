"""Normalisation of company and person names into comparable tokens.

Pipeline (each step exists because real list data needs it):

0. The Entity List's clause "…; and any successor, sub-unit, or subsidiary thereof" is
   dropped: what the listing covers, no part of the name.
1. Unicode NFKC and casefold — full-width letters, ligatures and "ß" compare equal to their
   plain forms; business words run into a CamelCase brand split off ("MaxiTechGroup" →
   "maxi tech group", but "MediaTek" stays one word); letters joined by "&" made one word
   ("AT&T" → "att", "H & M" → "hm", "M and S" → "ms").
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
   spellings for Cyrillic — "Битривер" → "bitriver", "Химпром" → "himprom" — ICU's for the rest).
6. Legal forms set aside, stopwords dropped, generic-word variants canonicalised
   ("technologies", "tech" → "technology"; "Gen." → "general"; "Banco", "Bankası", "yinhang"
   → "bank"; a misspelt long one too: "Technolgies"),
   ordinals and Roman numerals made digits ("13th", "Second", "III").
7. Numbers written as words become digits ("Forty-Four" → "44", "One" → "1"), and a few
   place phrases become one token ("United States", "U.S.", "USA" → "us").
8. Parenthesised parts: dropped when they repeat the name (its acronym, "(SAMC)", or its
   words); otherwise their distinctive words become optional ``qualifiers`` and everything
   in them is remembered as ``bracketed`` (two names whose brackets differ, "(Jersey)" /
   "(Guernsey)", name different parties: see match.py), a single letter too ("(M)", a
   Malaysian name's country). A dropped acronym is kept with the words it follows
   (``acronyms_in_brackets``), for a name that writes it instead of them.

Besides the tokens, a name keeps its ``spelled`` words (every word of the main part, legal
forms and stopwords included, in order) and the initials of its legal forms, so the matcher
can recognise words run together ("AcmeAG" / "Acme AG", "Vanderbilt" / "Van der Bilt") and
acronyms ("TSMC" / "Taiwan Semiconductor Manufacturing Company").

The result keeps the distinctive and generic tokens in their original order; matching is
order-insensitive but explanations read better in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne
from rigour.names import replace_org_types_compare, tokenize_name
from rigour.text.translit import ascii_text

from auditor.screening.tokens import (
    abjad_either,
    abjad_key,
    abjad_transliteration,
    consonant_key,
    without_arabic_article,
)
from auditor.screening.vocabulary import (
    ARABIC_SCRIPT_TERMS,
    CJK_TERMS,
    FOREIGN_SYNONYMS,
    GENERIC_WORDS,
    LEGAL_FORMS,
    PHRASES,
    PLACE_WORDS,
    SECTORS,
    SERIES_LETTER_WORDS,
    SERIES_WORDS,
    STOPWORDS,
    SYNONYMS,
    TRAILING_LEGAL_FORMS,
    TRAILING_LEGAL_PHRASES,
    everyday_words,
)

# Evidence weight of a token (see match.py). Generic words are weak evidence; 0.15 was the
# best of 0.15 / 0.2 / 0.25 / 0.33 on the tune split of tests/screening/pairs.csv.
# Stopwords and legal forms are not tokens at all.
DISTINCTIVE_WEIGHT = 1.0
GENERIC_WEIGHT = 0.15

_CJK_TERM_RE = re.compile("|".join(sorted(map(re.escape, CJK_TERMS), key=len, reverse=True)))
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+")  # and Hangul
_ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_PARENTHESES_RE = re.compile(r"\(([^()]*)\)")
_WEB_RE = re.compile(r"\b(?:https?://)?www\.([a-z0-9-]+)(?:\.[a-z]{2,})+\b")  # "www.sercuba.com"
# Letters joined by an ampersand are one name, not words and "and": "AT&T", "P & G", "H&M";
# so are two single letters joined by "and", the ampersand spelt out, in English, Spanish,
# French or German: "M and S" is "M&S", "A y S" is "A&S".
_AMPERSAND_RE = re.compile(r"\b([a-z]{1,2}) ?& ?([a-z]{1,2})\b")
_LETTERS_AND_RE = re.compile(r"\b([a-z]) (?:and|y|et|und) ([a-z])\b")
# A capitalised run inside a word ("Maxi|Tech|Group", "Media|Tek"), split off only when it
# is a business word, place or legal form (below).
_CAMEL_PART_RE = re.compile(r"(?<=[a-z])[A-Z][a-z]+")
_CAMEL_ALL_RE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
# Numbers identify ("99th" vs "33rd" division, "Holdings II" vs "III"): spelled-out
# ordinals and Roman numerals (not the ambiguous "i", "v", "x") become digits.
_NUMBER_WORDS: dict[str, str] = {
    word: str(number)
    for number, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split(),
        start=1,
    )
} | {
    roman: str(number)
    for number, roman in enumerate(
        "_ _ ii iii iv _ vi vii viii ix _ _ xii xiii xiv xv xvi xvii xviii xix xx".split()
    )
    if roman != "_"
}
_NUMBER_WORDS.update({word: str(10 * tens) for tens, word in enumerate(
    "thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), start=3)})
_NUMBER_WORDS["hundredth"] = "100"
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
# Cardinal numbers written as words ("Forty-Four" / "44", "Number One" / "No. 1").
_UNITS = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {word: 10 * number for number, word in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_TENS.update(fourty=40, ninty=90)  # the common misspellings of forty and ninety
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_STARTS = frozenset(_UNITS) | frozenset(_TENS)
# Ordinal units and tens that end a spelled number ("twenty-first", "one hundred and third",
# "one hundred thirtieth").
_ORDINAL_UNITS = {word: int(number) for word, number in _NUMBER_WORDS.items()
                  if word.isalpha() and word.endswith(("st", "nd", "rd", "th"))
                  and (int(number) < 10 or int(number) % 10 == 0 and int(number) > 20)}


@dataclass(frozen=True)
class NormalisedName:
    """A name reduced to comparable parts.

    ``tokens``: distinctive and generic words (canonical, ASCII, original order);
    ``legal_forms``: the company-type classes found ("llc", "jsc", "co" …), in order;
    ``qualifiers``: distinctive words written in parentheses ("(Sugon)", "(FSB)"): an
    acronym or alias the other name may or may not repeat, so they count only if matched;
    ``bracketed``: every word written in parentheses (places and numbers included);
    ``spelled``: the words of the main part as written (ASCII, casefolded), legal forms and
    stopwords included; ``legal_initials``: initials of the legal-form words ("Co., Ltd." →
    "cl"), for acronyms that include them ("SMIC"); ``annotations``: the places written in
    parentheses after the legal form that ends the name ("ChangXin Memory Technologies, Inc.
    (Hefei)", "Sovcomflot PJSC (Saint Petersburg)"): where the party is, an address note,
    not a part of its registered name as "Huawei Technologies (Thailand) Co., Ltd." has.
    """

    original: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]
    qualifiers: tuple[str, ...] = ()
    bracketed: tuple[str, ...] = ()
    spelled: tuple[str, ...] = ()
    legal_initials: str = ""
    annotations: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The comparable form: tokens joined by spaces (legal forms excluded)."""
        if self.qualifiers:
            return " ".join(self.tokens) + " (" + " ".join(self.qualifiers) + ")"
        return " ".join(self.tokens)

    @cached_property
    def core_tokens(self) -> tuple[str, ...]:
        """The tokens of the name itself, without the places, business words and numbers
        written in parentheses after it (``normalise_name`` adds those to ``tokens``): what
        an acronym of the name is read from ("Sophgo Technologies Ltd. [CN]" is no "STC")."""
        added = [w for w in self.bracketed if is_generic(w) or w.isdigit()]
        if added and self.tokens[-len(added):] == tuple(added):
            return self.tokens[:-len(added)]
        return self.tokens

    def written_forms(self, token: str) -> set[str]:
        """``token`` and the words of the name as written that it stands for ("industry":
        "industries")."""
        return {token, *self.written_by_token.get(token, ())}

    @cached_property
    def written_by_token(self) -> dict[str, tuple[str, ...]]:
        """The words as written, in order, by the token each stands for when they differ
        ("industry": "industries"). Kept: a listed name is asked again by every query that
        reaches it."""
        found: dict[str, tuple[str, ...]] = {}
        for word in self.spelled:
            token = canonical(word)
            if token != word:
                found[token] = (*found.get(token, ()), word)
        return found

    @cached_property
    def acronyms_in_brackets(self) -> dict[str, frozenset[str]]:
        """The acronyms of the name written in parentheses in it, which normalising drops as
        repeating it, each with the words it follows (as ``tokens`` has them): "China
        Electronics Technology Group Corp. (CETC) 54th Research Institute" → "cetc": china,
        electronics, technology, group. For comparing with a name that writes the acronym
        instead of those words ("CETC 54th Research Institute")."""
        if "(" not in self.original:
            return {}
        text = unicodedata.normalize("NFKC", self.original).casefold()
        outside = _plain_tokens(_PARENTHESES_RE.sub(" ", text))
        found = {}
        for match in _PARENTHESES_RE.finditer(text):
            inside = _plain_tokens(match.group(1))
            if len(inside) == 1 and len(inside[0]) >= 3 and _is_acronym_of(inside[0], outside):
                before = _PARENTHESES_RE.sub(" ", text[:match.start()])
                found[inside[0]] = frozenset(_words(_latin_tokens(before))[0])
        return found

    @cached_property
    def key(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Identity of the normalised form: names with equal keys are the same name."""
        return (self.tokens, self.qualifiers, tuple(sorted(set(self.legal_forms))))

    @cached_property
    def spelled_runs(self) -> dict[str, tuple[str, ...]]:
        """Runs of 2–4 adjacent words as written, run together: "acmeag" → ("acme", "ag")
        (the first such run for each spelling), for recognising words written as one."""
        runs: dict[str, tuple[str, ...]] = {}
        for size in (2, 3, 4):
            for start in range(len(self.spelled) - size + 1):
                run = self.spelled[start : start + size]
                runs.setdefault("".join(run), run)
        return runs

    @cached_property
    def series(self) -> tuple[str, ...]:
        """Letters that designate one of a series ("Series A", "Class B" → "a", "b")."""
        words = (*self.spelled, "")
        return tuple(sorted({
            letter for k, letter in enumerate(words[1:-1], start=1)
            if words[k - 1] in SERIES_LETTER_WORDS and len(letter) == 1 and letter.isalpha()
            and len(words[k + 1]) != 1  # "Series A/S": a legal form, not a letter
        }))

    @property
    def is_empty(self) -> bool:
        return not self.tokens


def is_generic(token: str) -> bool:
    """True for words that describe a business or place rather than name one party."""
    return token in GENERIC_WORDS


def is_place(token: str) -> bool:
    """True for country, province, city and direction words (a kind of generic word)."""
    return token in PLACE_WORDS


def sector(token: str) -> str | None:
    """The line of business a word names ("oil", "neft" → "oil"; "bank" → "bank"), if any."""
    return SECTORS.get(token)


def token_weight(token: str) -> float:
    return GENERIC_WEIGHT if token in GENERIC_WORDS else DISTINCTIVE_WEIGHT


# A character read two ways, replaced by one that has only the reading names use: "长" /
# "長" is "cháng" (long) in names — 长江 Changjiang, 长城 Changcheng, 长安 Chang'an, 长鑫
# Changxin — and the transliterator gives its other reading, "zhǎng" (to grow).
_NAME_READINGS = str.maketrans({"长": "常", "長": "常"})


def _replace_cjk(text: str) -> str:
    """Replace CJK legal forms/generic words by English tokens, pinyin the rest per run."""
    if not _HAN_RE.search(text):
        return text
    text = _CJK_TERM_RE.sub(lambda m: f" {CJK_TERMS[m.group(0)]} ", text).translate(_NAME_READINGS)
    # Each remaining run of Han/kana characters is one name part: join its syllables.
    return _HAN_RE.sub(lambda m: " " + _romanised_run(m.group(0)) + " ", text)


def _romanised_run(run: str) -> str:
    """A run of Han, kana or Hangul characters as one word: pinyin and kana by rigour,
    Hangul as the lists romanise Korean names (``_hangul``)."""
    if _HANGUL_RE.fullmatch(run):
        return _hangul(run)
    return ascii_text(run).replace(" ", "")


_HANGUL_RE = re.compile(r"[\uac00-\ud7af]+")
# McCune-Reischauer, as the lists write North Korean names ("Tanchon", "Ryonbong", "Choson",
# "Kwangson"), without its breves and apostrophes: rigour writes the South's Revised
# Romanization ("dancheon", "lyeonbong"). Initial, vowel and final of each syllable; a
# plosive or "ch" initial is voiced after a vowel or a voiced final ("Ryonbong", not "Ryonpong").
_HANGUL_INITIALS = "k kk n t tt r m p pp s ss - ch tch ch' k' t' p' h".split()  # ' aspirated: never voiced
_HANGUL_VOWELS = "a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i".split()
_HANGUL_FINALS = ["", *"k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()]
_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j"}


def _hangul(run: str) -> str:
    out: list[str] = []
    final = None
    for char in run:
        code = ord(char) - 0xAC00
        initial = _HANGUL_INITIALS[code // 588].replace("-", "")
        if final is not None and (final == "" or final in ("n", "m", "ng", "l")) and initial in _VOICED:
            initial = _VOICED[initial]
        final = _HANGUL_FINALS[code % 28]
        out.append(initial.rstrip("'") + _HANGUL_VOWELS[(code // 28) % 21] + final)
    return "".join(out)


def _ascii_token(token: str) -> list[str]:
    if token.isascii():
        return [token]
    if _ARABIC_RE.search(token):
        return _abjad_tokens(token)
    latin = ascii_text(token).casefold()
    return [part for part in _NON_ALNUM_RE.split(latin) if part]


_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")


def _abjad_tokens(token: str) -> list[str]:
    """A word in Arabic script: the English word ``ARABIC_SCRIPT_TERMS`` reads it as, or the
    generic word whose transliteration has its consonants ("بنیاد" / "bonyad": foundation),
    else its transliteration in capitals (``tokens.abjad_transliteration``: "ملت" → "MLT"),
    the article taken off ("المصرف" is "مصرف") unless the word as written is known (Persian
    "الکترونیک", electronics, starts with the letters of the article)."""
    known = ARABIC_SCRIPT_TERMS.get(token) or ARABIC_SCRIPT_TERMS.get(without_arabic_article(token))
    if known:
        return known.split()
    latin = abjad_transliteration(token)
    if not latin or latin.isdigit() or latin in abjad_either():
        return [latin] if latin else []
    generic = _romanised_generic_words().get(abjad_key(latin))
    if generic and all(len(w) <= 2 * len(latin) + 1 for w in generic[1]):
        return [generic[0]]
    return [latin]


@lru_cache(maxsize=1)
def _romanised_generic_words() -> dict[str, tuple[str, tuple[str, ...]]]:
    """consonant key → (the generic word, its spellings with that key), for the generic
    words of other languages (``FOREIGN_SYNONYMS``: "bonyad", "sazman", "tijara", "banco")
    whose key no other word has, of three consonants at least: "naviera" (shipping) has those
    of "Noor", "nwr". Not places (the consonants of "Mellat" are those of "Malta")."""
    found: dict[str, set[str]] = {}
    spellings: dict[str, list[str]] = {}
    for spelling, word in FOREIGN_SYNONYMS.items():
        if not spelling.isalpha() or word in PLACE_WORDS:
            continue
        key = consonant_key(spelling)
        if len(key) >= 3:
            found.setdefault(key, set()).add(word)
            spellings.setdefault(key, []).append(spelling)
    return {key: (next(iter(words)), tuple(spellings[key])) for key, words in found.items() if len(words) == 1}


@lru_cache(maxsize=4)
def _script_tokens(text: str) -> list[str]:
    """rigour's tokens of ``text``, Han runs read first (``_replace_cjk``). Kept for the
    last few texts: ``normalise_name`` tokenises most names twice (their words, and their
    words as written, which are the same text unless a capital splits a word). The list
    returned is shared: never changed by a caller."""
    return tokenize_name(_replace_cjk(text))


def _latin_tokens(text: str) -> list[str]:
    """Tokenise, reduce legal forms (in the original script and in Latin), transliterate."""
    # Numerals first: rigour would read the "II" of "Holdings II, Inc" as a legal form.
    tokens = _phrases([_NUMBER_WORDS.get(t, t) for t in _series_numerals(_cardinals(_script_tokens(text)))])
    if "0" in text:
        # A number's leading zeros are how it was written, not another number ("Trust
        # Series 2006-02" / "Trust 2006-2").
        tokens = [t.lstrip("0") or "0" if t[0] == "0" and t.isdigit() else t for t in tokens]
    if not tokens:
        return []
    # Legal forms in the original script (Cyrillic "ООО", "Акционерное общество" …) …
    joined = replace_org_types_compare(" ".join(tokens), generic=True)
    if joined.isascii():  # most names: every token is its own transliteration (_ascii_token)
        latin = joined.split()
    else:
        latin = []
        for token in joined.split():
            latin.extend(_ascii_token(token))
    # … and in Latin script, including transliterated long forms.
    return replace_org_types_compare(" ".join(latin), generic=True).split()


# "I", "V" and "X" alone are Roman numerals only after a word that numbers a series.
_AMBIGUOUS_ROMAN = {"i": "1", "v": "5", "x": "10"}


def _series_numerals(tokens: list[str]) -> list[str]:
    """"Fund I", "Partners V LP", "Capital I Trust" → "fund 1", "partners 5 lp", "capital 1
    trust": after a word that numbers a series, and ending the name or before a legal form,
    a number, an initial or another such word ("Fund X-Ray" keeps its "x")."""
    if _AMBIGUOUS_ROMAN.keys().isdisjoint(tokens):
        return tokens
    out = list(tokens)
    for k, t in enumerate(tokens):
        if t in _AMBIGUOUS_ROMAN and k and tokens[k - 1] in SERIES_WORDS:
            after = tokens[k + 1] if k + 1 < len(tokens) else ""
            if not after or after in LEGAL_FORMS or after in SERIES_WORDS or after.isdigit() or len(after) == 1:
                out[k] = _AMBIGUOUS_ROMAN[t]
    return out


def _cardinals(tokens: list[str]) -> list[str]:
    """Runs of number words become one number: "forty four" → "44", "one hundred and one" →
    "101", "twenty first" → "21" (an ordinal ends the run)."""
    if _NUMBER_STARTS.isdisjoint(tokens):
        return tokens  # most names: no number word at all
    out: list[str] = []
    total = current = 0
    run = False
    last = ""  # the previous number word of the run
    for k, token in enumerate(tokens + [""]):
        if run and token == "and" and k + 1 < len(tokens) and (tokens[k + 1] in _UNITS or tokens[k + 1] in _TENS):
            continue  # "one hundred and one"
        if run and token in _ORDINAL_UNITS:
            out.append(str(total + current + _ORDINAL_UNITS[token]))
            total = current = 0
            run = False
            continue
        if run and (token in _UNITS or token in _TENS) and (last in _UNITS or (last in _TENS and token in _TENS)):
            # A unit after a unit starts another number: "Seven-Eleven" is 7 11, not 18.
            out.append(str(total + current))
            total = current = 0
        if token in _UNITS or token in _TENS or (token in _SCALES and run):
            last = token
            if token in _SCALES:
                current = max(current, 1) * _SCALES[token]
                if token == "thousand":
                    total, current = total + current, 0
            else:
                current += _UNITS.get(token, _TENS.get(token, 0))
            run = True
            continue
        if run:
            out.append(str(total + current))
            total = current = 0
            run = False
        if token:
            out.append(token)
    return out


def _phrases(tokens: list[str]) -> list[str]:
    """Multi-word place names and their abbreviations as one token ("united states" → "us")."""
    if _PHRASE_STARTS.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] in _PHRASE_STARTS:
            for size in (5, 4, 3, 2, 1):
                phrase = " ".join(tokens[i : i + size])
                if len(tokens) - i >= size and phrase in PHRASES:
                    out.append(PHRASES[phrase])
                    i += size
                    break
            else:
                out.append(tokens[i])
                i += 1
        else:
            out.append(tokens[i])
            i += 1
    return out


def _plain_tokens(text: str) -> list[str]:
    """Tokens in Latin script, legal forms left as written (for acronym checks)."""
    tokens = _script_tokens(text)
    if all(map(str.isascii, tokens)):  # most names: every token is its own transliteration
        return list(tokens)
    return [part for token in tokens for part in _ascii_token(token)]


def written_words(name: NormalisedName) -> list[str]:
    """The words of a name as written, split only where it is written apart: "CloudWalk" is
    one word here, two in ``spelled``."""
    return _plain_tokens(unicodedata.normalize("NFKC", name.original).casefold())


# Generic words and their variants by first letter, for reading a misspelt one ("Technolgies")
# as generic (a different first letter is rarely a typo, see tokens.py).
_VOCABULARY: dict[str, list[str]] = {}
for _word in sorted(GENERIC_WORDS | set(SYNONYMS)):
    _VOCABULARY.setdefault(_word[0], []).append(_word)
_PHRASE_STARTS = frozenset(phrase.split()[0] for phrase in PHRASES)
_CAMEL_WORDS = GENERIC_WORDS | frozenset(SYNONYMS) | LEGAL_FORMS
# One edit in about nine letters: "technolgies" is "technologies", "electronic" is not "electron".
TYPO_MIN_LENGTH = 8
TYPO_SIMILARITY = 0.88


def _slips_of(words: Iterable[str]) -> dict[str, str]:
    """Shorter words misspelt as a hand slips, each with the word it misspells: a letter
    inside it left out or two letters swapped, neither the first ("Tradng", "Holdngs",
    "Tarding"), in a word of seven letters or more. Not the last letter left out, which makes
    a word of another language ("Italia", "Medica") or a brand ("Oboron"); not a letter
    changed or added, as brands are coined from business words ("Tradex", "Minex"); not a
    spelling two words share."""
    found: dict[str, set[str]] = {}
    words = set(words)
    for word in words:
        if len(word) < 7 or not word.isalpha():
            continue
        for k in range(1, len(word) - 1):
            found.setdefault(word[:k] + word[k + 1:], set()).add(word)
            if word[k] != word[k + 1]:
                found.setdefault(word[:k] + word[k + 1] + word[k] + word[k + 2:], set()).add(word)
    return {slip: next(iter(of)) for slip, of in found.items() if len(of) == 1 and slip not in words}


_SLIPS = _slips_of(GENERIC_WORDS | set(SYNONYMS))


@lru_cache(maxsize=1 << 16)
def canonical(token: str) -> str:
    """A word as the comparable words of a name have it: numbers, synonyms and translations,
    plurals and misspelt generic words reduced to one form."""
    ordinal = _ORDINAL_RE.match(token)
    if ordinal:
        return ordinal.group(1)
    known = _NUMBER_WORDS.get(token) or SYNONYMS.get(token) or _generic_singular(token)
    if known:
        return known
    if len(token) >= TYPO_MIN_LENGTH and token not in GENERIC_WORDS and token.isalpha():
        close = extractOne(token, _VOCABULARY.get(token[0], ()), scorer=OSA.normalized_similarity,
                           score_cutoff=TYPO_SIMILARITY)
        if close:
            return SYNONYMS.get(close[0], close[0])
    elif len(token) >= 6:
        slip = _SLIPS.get(token)
        if slip and token not in everyday_words():
            return SYNONYMS.get(slip, slip)
    return token


def _generic_singular(token: str) -> str | None:
    """The generic word a plural the synonym lists lack is of ("Stores", "Foods", "Hotels",
    "Batteries"), or None: only a plural of a generic word is generic."""
    if len(token) < 4 or not token.endswith("s") or token in GENERIC_WORDS:
        return None  # "news", "gas", "works" are words of their own
    for singular in (token[:-1], token[:-2], token[:-3] + "y" if token.endswith("ies") else ""):
        if singular in GENERIC_WORDS:
            return SYNONYMS.get(singular, singular)
    return None


def _is_acronym_of(token: str, words: list[str]) -> bool:
    """True if ``token`` spells initials of ``words`` in order ("samc": Shanghai Aircraft
    Manufacturing Co)."""
    if len(token) < 2 or not token.isalpha():
        return False
    initials = iter(w[0] for w in words)
    return all(any(letter == initial for initial in initials) for letter in token)


def _drop_redundant_parentheses(text: str) -> str:
    """Drop parenthesised parts that repeat the name: an acronym of it ("Shanghai Aircraft
    Manufacturing Co. (SAMC)") or words already in it ("Aerospace CH UAV Co. (CH UAV)").

    Other parenthesised parts stay: "(Tianjin)" in "Semiconductor Manufacturing
    International (Tianjin) Corporation" tells two listed subsidiaries apart.
    """
    if "(" not in text:
        return text
    outside = _plain_tokens(_PARENTHESES_RE.sub(" ", text))
    if not outside:
        return text
    outside_set = set(outside)

    def replace(match: re.Match[str]) -> str:
        inside = _plain_tokens(match.group(1))
        if all(t in outside_set for t in inside):
            return " "
        if len(inside) == 1 and _is_acronym_of(inside[0], outside):
            return " "
        return match.group(0)

    return _PARENTHESES_RE.sub(replace, text)


# A country written as its ISO code after a name, as vendor masters and ERP exports do:
# "Huawei Technologies Co., Ltd. [CN]", "Inspur Group - CN", "… Co Ltd CN" (after a legal
# form only: "Sony CN" may be a name). Square and curly brackets are read as parentheses.
_COUNTRY_CODE_RE = re.compile(r"[\[({]\s*([a-z]{2})\s*[\])}]\s*$|\s[-–—/|,]\s*([a-z]{2})\s*$|\s([a-z]{2})\s*$")
# Legal forms of two letters that are also country codes, ending names of their countries.
_TWO_LETTER_FORMS = frozenset("kg ag sa ab as se nv bv oy ad dd sl pt ks ug kk ek".split())
_BRACKETS = str.maketrans("[]{}", "()()")


def _country_codes(text: str) -> str:
    """``text`` (casefolded) with a country code ending it written as the country, in
    parentheses, and other square or curly brackets as parentheses."""
    match = _COUNTRY_CODE_RE.search(text)
    if match:
        code = next(g for g in match.groups() if g)
        bare = match.group(3) is not None
        before = text[: match.start()].split()
        # A bare code only after a legal form, and never a code that is a legal form itself
        # ("GmbH & Co. KG" is no Kyrgyzstan, "Atlas Copco AB" no Abkhazia).
        if code not in _TWO_LETTER_FORMS and code not in LEGAL_FORMS and code not in TRAILING_LEGAL_FORMS and (
                not bare or (before and before[-1].strip(".,") in LEGAL_FORMS)):
            country = country_name(code)
            if country:
                text = f"{text[:match.start()]} ({country})"
    return text.translate(_BRACKETS) if "[" in text or "{" in text else text


@lru_cache(maxsize=None)
def country_name(code: str) -> str:
    """The common name of the country with ISO 3166 alpha-2 ``code`` ("" if none), casefolded."""
    import pycountry  # a dependency; imported here as few names need it

    country = pycountry.countries.get(alpha_2=code.upper())
    return ((getattr(country, "common_name", None) or country.name) if country else "").casefold()


def _ampersand_joined(match: re.Match[str]) -> str:
    """Letters around "&" or "and" as one word ("AT&T" → "att", "M and S" → "ms"); joined by
    "and" when the letters alone would spell a legal form: "A & S Carrier" is no "A.S." (a
    Norwegian or Turkish company) named "Carrier", and its letters, single, are stopwords."""
    joined = match.group(1) + match.group(2)
    if joined in LEGAL_FORMS or joined in TRAILING_LEGAL_FORMS:
        return match.group(1) + "and" + match.group(2)
    return joined


# "No.59", "Nr.3", "№ 12": the number's sign written against it, which would make one word.
_NUMBER_SIGN_RE = re.compile(r"(?:\b(?:no|nr)\.|№)\s*(?=\d)")
# An acronym with the name it stands for after it in parentheses ("UAC (United Aircraft
# Corp.)", "SMIC (Semiconductor Manufacturing Int'l Corp.)"): the name, and the acronym as
# its alias, as "United Aircraft Corporation (UAC)" writes them.
_ACRONYM_FIRST_RE = re.compile(r"^\s*([^\W\d_]{2,8})\s*\(([^()]+)\)\s*$")


def _acronym_last(text: str) -> str:
    """``text`` written name first if it is an acronym followed by its name in parentheses
    (``_ACRONYM_FIRST_RE``): the acronym's first letter the name's, and every letter an
    initial of its words in order."""
    match = _ACRONYM_FIRST_RE.match(text)
    if not match:
        return text
    acronym, words = match.group(1).casefold(), _plain_tokens(match.group(2).casefold())
    if len(words) < 2 or acronym[0] != words[0][0] or not _is_acronym_of(acronym, words):
        return text
    return f"{match.group(2)} ({match.group(1)})"


def _prepared(text: str) -> str:
    """Casefolded, a web address read as its domain, letters around "&" joined, a country
    code ending the name read as the country, and parentheses that repeat the name dropped."""
    text = _country_codes(text.casefold())
    if "." in text or "№" in text:
        text = _NUMBER_SIGN_RE.sub("no ", text)
    if "www." in text:  # (what _WEB_RE needs: most names have none, and it scans them all)
        text = _WEB_RE.sub(r"\1", text)  # a web address names its domain
    if "&" in text:
        text = _AMPERSAND_RE.sub(_ampersand_joined, text)  # "at&t" -> "att"
    if " and " in text or " y " in text or " et " in text or " und " in text:
        text = _LETTERS_AND_RE.sub(_ampersand_joined, text)  # "m and s" -> "ms"
    return _drop_redundant_parentheses(text)


def _split_camel_case(text: str) -> str:
    """Split the business words, places and legal forms a brand runs into ("MaxiTechGroup" →
    "Maxi Tech Group", "PetroChina" → "Petro China"), not other capitalised parts: the
    fragment of "MediaTek" or "CleanSpark" is no word of its own, and split off it would
    pair with the same fragment of an unrelated name ("Services GP Tek"). Words run
    together are still recognised as such when compared (``match._join_runs``)."""
    def split(match: re.Match[str]) -> str:
        part = match.group(0)
        return " " + part if part.casefold() in _CAMEL_WORDS else part

    def split_cyrillic(match: re.Match[str]) -> str:
        part = match.group(0)
        return " " + part if ascii_text(part).casefold() in _CAMEL_WORDS else part

    text = _CAMEL_PART_RE.sub(split, text)
    # Russian brands run words together too ("ФосАгро", "РусГидро"): the same words.
    return _CAMEL_CYRILLIC_RE.sub(split_cyrillic, text) if _CYRILLIC_RE.search(text) else text


_CAMEL_CYRILLIC_RE = re.compile("(?<=[а-яё])[А-ЯЁ][а-яё]+")
_CYRILLIC_RE = re.compile("[А-ЯЁ]")


def _branch_phrase(words: list[str]) -> tuple[list[str], list[str]]:
    """Split off a name's closing branch phrase ("Al-Haramain : Tanzania Branch", "National
    Iranian Tanker Company Sharjah Branch"): a branch is no separate legal person, so the
    name names the party itself and the phrase counts only when the other name has it too
    (it becomes optional, like a parenthesised alias). Places right before "branch" belong
    to the phrase; something must come before them."""
    if len(words) < 3 or words[-1] != "branch":
        return words, []
    start = len(words) - 1
    # A place that leaves generic words alone before it, none a place, is the name's own:
    # "Bank of China Limited, New York Branch" is the New York branch of "Bank of China".
    while start > 1 and is_place(words[start - 1]) and (
            any(not is_generic(w) or is_place(w) for w in words[: start - 1])):
        start -= 1
    if start == len(words) - 1:
        return words, []  # "Acme Branch": no place, nothing says which branch
    return words[:start], words[start:]


_PHRASES_ENDING: dict[str, list[tuple[str, ...]]] = {}  # TRAILING_LEGAL_PHRASES by their last word
for _phrase in TRAILING_LEGAL_PHRASES:
    _PHRASES_ENDING.setdefault(_phrase[-1], []).append(_phrase)


def _trailing_forms_start(tokens: list[str]) -> int:
    """Where the legal forms ending a name start (``TRAILING_LEGAL_FORMS`` and phrases count
    only there; stopwords between them are passed over: "S.A.B. de C.V."), leaving the name
    at least its first word."""
    end = k = len(tokens)
    # Digits after the legal form that ends a name are a record's number in a vendor master,
    # no part of the name ("Sophgo Technologies Ltd. 17", "Huawei Technologies Co., Ltd. #2"):
    # set aside with the form. Not before it: "Hut 8 Corp", "Office #39".
    while k > 2 and tokens[k - 1].isdigit() and (tokens[k - 2] in LEGAL_FORMS or tokens[k - 2] in TRAILING_LEGAL_FORMS):
        k = end = k - 1
    while k > 1:
        phrase = next((p for p in _PHRASES_ENDING.get(tokens[k - 1], ())
                       if k > len(p) and tuple(tokens[k - len(p):k]) == p), None)
        if phrase:
            k = end = k - len(phrase)
        elif tokens[k - 1] in LEGAL_FORMS or tokens[k - 1] in TRAILING_LEGAL_FORMS:
            k = end = k - 1
        elif tokens[k - 1] in STOPWORDS:
            k -= 1
        else:
            break
    return end


# Legal forms long enough that a letter dropped, doubled or swapped leaves them recognisable
# ("ZTE Corportion", "Acme Limted", "Compnay"); shorter ones changed are other words.
_LONG_FORMS = ("corporation", "incorporated", "limited", "company", "companies")


@lru_cache(maxsize=65536)
def _misspelt_form(token: str) -> bool:
    """True for a long legal form misspelt by one letter (``_LONG_FORMS``)."""
    if len(token) < 6 or token[0] not in "cil" or token in GENERIC_WORDS or not token.isalpha():
        return False
    return any(OSA.distance(token, form) == 1 for form in _LONG_FORMS if form[0] == token[0])


def _words(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split Latin tokens into comparable words and legal forms; drop stopwords."""
    words: list[str] = []
    legal: list[str] = []
    end = _trailing_forms_start(tokens)
    for k, token in enumerate(tokens):
        if token in LEGAL_FORMS or (k >= end and token not in STOPWORDS) or _misspelt_form(token):
            legal.append(token)
        elif token not in STOPWORDS:
            words.append(canonical(token))
    return words, legal


# A character a list's file could not encode, written "?" or U+FFFD between two letters: the
# CSL writes "Xi?an Research Institute" for Xi'an, "T?K" for "T&K". Read as nothing, as the
# apostrophe it mostly was ("Xi'an" is "xian"), not as a break between two words.
_LOST_CHARACTER_RE = re.compile(r"(?<=[^\W\d_])[?\ufffd](?=[^\W\d_])")
# A list's item number before a name ("1. BitRiver", "2) Sophgo Technologies Ltd"), as
# vendor lists copied from documents have them: no part of the name.
_ENUMERATOR_RE = re.compile(r"^\s*\d{1,3}[.)]\s+(?=\D)")
# The Entity List's clause after a name, "…; and any successor, sub-unit, or subsidiary
# thereof", "…, and its sub-units and successors": what the listing covers, no part of the
# name ("Sinobright Import and Export Company").
_SUCCESSORS_RE = re.compile(
    r"[\s,;]+(?:and|&)\s+(?:any|its|all)\s+(?:successors?|sub-?units?|subsidiar(?:y|ies))\b.*$",
    re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> NormalisedName:
    """Normalise one name (see the module docstring for the steps)."""
    raw = _ENUMERATOR_RE.sub("", unicodedata.normalize("NFKC", name or ""), count=1)
    raw = _SUCCESSORS_RE.sub("", raw) or raw
    if "?" in raw or "\ufffd" in raw:
        raw = _LOST_CHARACTER_RE.sub("", raw)
    if "(" in raw:
        raw = _acronym_last(raw)
    text = _prepared(_split_camel_case(raw))
    main = _PARENTHESES_RE.sub(" ", text)
    words, legal = _words(_latin_tokens(main))
    words, branch = _branch_phrase(words)
    # The words as written split at every capital ("ChangXin Memory" → "chang xin memory"),
    # places of several words left as written: the initials of an acronym ("CXMT", "ADNOC" /
    # "Abu Dhabi National Oil Company", "IRISL" / "Islamic Republic of Iran Shipping Lines")
    # and words run together are read from them. Not canonical: an acronym is of the words
    # as written ("IFP" / "Instrumentation Factory Plant", "NMZ" / "… Mekhanicheski Zavod"),
    # and so is a run of them ("Sino Chem" / "Sinochem").
    every_capital = _CAMEL_ALL_RE.sub(" ", raw)
    written = main if every_capital == raw else _PARENTHESES_RE.sub(" ", _prepared(every_capital))
    spelled = list(_series_numerals(_cardinals(_plain_tokens(written))))
    # Initials of the legal form that ends the name ("…Company Limited" → "cl"), for acronyms.
    trailing = len(spelled)
    while trailing and spelled[trailing - 1] not in words and (
            spelled[trailing - 1] in LEGAL_FORMS or spelled[trailing - 1] in TRAILING_LEGAL_FORMS):
        trailing -= 1
    legal_initials = "".join(t[0] for t in spelled[trailing:])
    qualifiers: list[str] = branch
    bracketed: list[str] = []
    annotations: list[str] = []
    for match in _PARENTHESES_RE.finditer(text):
        group = match.group(1)
        if len(group.strip()) == 1 and group.strip().isalpha():
            # A country's initial ("Noor Energy (M) Ltd": Malaysia), a stopword otherwise.
            bracketed.append(group.strip())
            continue
        if group.strip(" #").isdigit() and _after_legal_form(text, match):
            continue  # a record's number ("ZTE Corporation (2)"), as after a legal form unbracketed
        inside, inside_legal = _words(_latin_tokens(group))
        legal.extend(inside_legal)
        if len(inside) >= 2 and inside[-1] == "branch" and all(map(is_place, inside[:-1])):
            # "Bank Saderat Iran (Paris Branch)": a branch phrase in parentheses, the party
            # itself as "…, Paris Branch" is (``_branch_phrase``).
            qualifiers.extend(inside)
            continue
        bracketed.extend(inside)
        if _address_note(text, match, inside):
            annotations.extend(w for w in inside if is_place(w))
        for word in inside:
            # Places, business words and numbers in parentheses still tell parties apart
            # ("(Tianjin)", "(No. 2)"); other words are optional aliases.
            (words if is_generic(word) or word.isdigit() else qualifiers).append(word)
    if not words:
        # A name made only of legal forms, stopwords or a parenthesised alias ("Limited",
        # "The Company", "(FSB)") is still a name: compare what there is, all its words as
        # written, not as the form they stand for: "Ltd." is no "LLC", nor the registration
        # "YK-AND" (read "yk", the Japanese form, and "and") "Inc", nor "LLC NR-DEL" "LLC".
        as_written = list(spelled)
        words = qualifiers or (as_written if legal else []) or legal or _latin_tokens(text)
        if words is qualifiers:
            qualifiers = []
        elif words is as_written:
            legal = []
    return NormalisedName(name, tuple(words), tuple(legal), tuple(qualifiers), tuple(bracketed),
                          tuple(spelled), legal_initials, tuple(annotations))


def _after_legal_form(text: str, match: re.Match[str]) -> bool:
    """True for parentheses that end a name right after its legal form."""
    if text[match.end():].strip(" .,;"):
        return False
    written = _plain_tokens(_PARENTHESES_RE.sub(" ", text[:match.start()]))
    return len(written) > 1 and (written[-1] in LEGAL_FORMS or written[-1] in TRAILING_LEGAL_FORMS)


def _address_note(text: str, match: re.Match[str], inside: list[str]) -> bool:
    """True for parentheses that end a name after its legal form and hold a place and no
    business word or number: "… GmbH & Co. KG (Hamburg)", "… Co. Ltd. (Zhejiang, China)",
    "… Ltd. [CN]" (``_country_codes``). Vendor masters and registers add where a party is
    so; a place inside the name ("Huawei Technologies (Thailand) Co., Ltd.") is part of a
    subsidiary's registered name."""
    if text[match.end():].strip(" .,;") or not any(map(is_place, inside)):
        return False
    if any(is_generic(w) and not is_place(w) or w.isdigit() for w in inside):
        return False
    before = _PARENTHESES_RE.sub(" ", text[:match.start()])
    written = _plain_tokens(before)
    if not written:
        return False
    if written[-1] in LEGAL_FORMS or written[-1] in TRAILING_LEGAL_FORMS:
        return True
    # Forms rigour reads as a whole ("GmbH & Co. KG"): the last word is no word of the name.
    words, legal = _words(_latin_tokens(before))
    return bool(legal) and written[-1] not in words and canonical(written[-1]) not in words


def names_no_party(name: NormalisedName) -> bool:
    """True for a name that names no party, which screening does not screen: nothing
    comparable, or only legal forms and stopwords ("Ltd.", "Co., Ltd.", "The Company"). A
    stray cell of a vendor master would otherwise meet listed names that are as short
    ("LKCK", an aircraft's "YK-AND")."""
    return name.is_empty or all(t in LEGAL_FORMS or t in TRAILING_LEGAL_FORMS or t in STOPWORDS for t in name.tokens)
