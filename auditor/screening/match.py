"""Token-aware, explainable similarity of two names.

The score is a weighted token alignment:

* each name is normalised (``normalize.py``) into distinctive and generic words; legal
  forms ("Ltd", "GmbH", "有限公司") are set aside and never count; words in parentheses
  that are not generic ("(Sugon)", "(FSB)") are optional aliases: they count only if matched;
* words of one name are paired one-to-one with words of the other, most similar first,
  where ``tokens.token_similarity`` (rapidfuzz OSA similarity, or that of transliteration
  skeletons) reaches ``TOKEN_MATCH_MIN``; numbers must be equal; runs of words
  that spell one word of the other name ("hua wei" / "huawei") are joined first;
* words left over are then recognised as **run together** ("AcmeAG" / "Acme AG",
  "Vanderbilt" / "Van der Bilt": a word equal to adjacent words of the other name as
  written, legal forms and stopwords included), as an **acronym** of the other name's
  leftover words ("TSMC" / "Taiwan Semiconductor Manufacturing Company"; three letters only
  with a legal form: "ZTE Corp") or as an **abbreviation** made of their starts ("AVIC" /
  "Aviation Industry Corporation of China", "Sinochem" / "Sino Chemical"); then as a word a
  clerk **shortened** ("Constr" / "Construction", "Shpg" / "Shipping"), weak evidence like a
  generic word;
* score = Σ similarity × (weight a + weight b) over pairs ÷ Σ weights of all words, where a
  distinctive word weighs 1 and a generic word ("technology", "trading", "china") 0.15, so
  an unmatched distinctive word costs a lot and an unmatched generic word little, unless
  both names have words left over: then they describe different businesses ("Delta
  Electronics" / "Delta Parts Supply") and a leftover generic word weighs 0.3. (A word only
  one name has weighing less would match "Canaan Inc." with the person "CANAAN, Fazi".) A name
  made only of generic words ("Shenyang Aircraft", "China Telecom") that the other name
  wholly contains is identified by those words: they weigh 1.

Then **vetoes** cap the score at ``VETO_CAP`` (below the threshold), each with its reason.
They are the ways two different parties have near-identical names:

* *different numbers*: a name has a number the other lacks ("Fund VII" / "Fund VIII",
  "Trust 2006-2" / "Trust 2007-2", "99th" / "33rd", "Hut 8" / "Hut", "3rd Academy" /
  "3rd Academy 239 Factory");
* *different series*: the letters after "Series", "Class", "Tranche" … differ ("Series A" /
  "Series B"; Roman "I", "V", "X" after such a word are numbers: "Fund V" / "Fund VI");
* *different brackets*: both names have words in brackets and none of them pair
  ("(Jersey)" / "(Guernsey)");
* *different places*: each name has a place the other lacks ("(Tianjin)" / "(Beijing)"),
  or one name has a place in brackets and the other no brackets ("Foo (Jersey) Ltd" /
  "Foo Ltd": a branch or subsidiary), or ends with a place after other words only it has
  ("Hut 8 Mining Services Iran" / "Hut 8 Corp");
* *different lines of business*: each name has a business word the other lacks, from
  different lines ("Acme Oil" / "Acme Gas"; ``vocabulary.SECTORS``);
* *sound-alike only*: the only word the names share is matched by spelling or sound, not
  exactly, and one name is just that word or the other words include distinctive ones
  ("Canaan Inc." / "Kanaan Travel", "Iris Energy" / "IRISL"); two one-word names need a near-exact match (``BARE_WORD_MIN``: "Intel" /
  "Inter" is not one);
* *generic words only*: no distinctive word of one name pairs with a distinctive word of
  the other ("BELLETECH CORP" / "11420 CORP.", "Bitmain Technologies" / "Sophgo
  Technologies"). A name made only of generic words is exempt when all its words pair up,
  unless the other name adds a line of business they do not name ("Bank of China" / "China
  Construction Bank");
* *everyday word only*: the one word in common is a common English word and a name adds
  what the party does, which the other does not say ("Target Corporation" / "Target
  Logistics Limited").

The score is symmetric: the pair is always scored in a canonical order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any, Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from auditor.screening.normalize import (
    DISTINCTIVE_WEIGHT,
    NormalisedName,
    canonical,
    is_generic,
    is_place,
    normalise_name,
    sector,
    token_weight,
    written_words,
)
from auditor.screening.tokens import token_similarity, translit_skeleton, vowel_skeleton
from auditor.screening.vocabulary import (
    DIRECTIONS,
    FORM_COUNTRIES,
    INSTITUTION_WORDS,
    LEGAL_FORMS,
    PLACES_IN,
    STOPWORDS,
    UNDESCRIPTIVE_WORDS,
    everyday_words,
)

# Threshold: the best F1 on the `tune` half of tests/screening/pairs.csv among 0.50, 0.55 …
# 0.95 (benchmarks/screening_quality.py --sweep), checked on the `holdout` half. In words:
# a name and the same name plus one or two generic words match (0.93, 0.87); a name and the
# same name plus another distinctive word do not (0.67).
DEFAULT_THRESHOLD = 0.70

# A run of tokens joins into one when its concatenation is at least this similar.
JOIN_MATCH_MIN = 0.85
# Weight of a generic word left over when both names have words left over (see below).
CONFLICT_WEIGHT = 0.3
# Ceiling for a vetoed score (module docstring); kept well below DEFAULT_THRESHOLD.
VETO_CAP = 0.50
GENERIC_ONLY_CAP = VETO_CAP  # the name earlier versions used
# An acronym has at least four letters, three of them from words that are not legal forms
# ("TSMC", "SMIC"): among tens of thousands of listed names, some three words spell almost
# any three letters ("Mawson Infrastructure Group" / "MIG").
ACRONYM_MIN_LENGTH = 4
ACRONYM_MIN_WORDS = 3
ACRONYM_MAX_LENGTH = 8
ACRONYM_SIMILARITY = 0.95
# Two words abbreviated into one give at least this many letters each ("Gaz-prom").
ABBREVIATION_MIN_PART = 3
# A word shortened ("Shpg" / "Shipping") has at least three letters; the pair counts at
# this similarity.
SHORTENED_MIN_LENGTH = 3
SHORTENED_SIMILARITY = 0.9
# Letters dropped from within a word leave a short word ("Hldgs", "Mgmt"): a longer one
# found in order in a long word is chance ("Atlantico" in "Aeroatlantico").
CONTRACTED_MAX_LENGTH = 5
# Two one-word names match when near-identical: equal in transliteration skeleton
# ("Canaan" / "Kanaan"), one edit in eight letters ("Sberbank" / "Sperbank"), or one slip
# of the hand in a shorter word (``_slip``: a letter left out, added or swapped, a key
# beside it struck, a vowel for another); another letter changed in a shorter word makes
# another word more often than a typo ("Intel" / "Inter", "Norinco" / "Norilco").
BARE_WORD_MIN = 0.87


@dataclass(frozen=True)
class TokenPair:
    a: str
    b: str
    similarity: float
    kind: str = "word"  # "word", "joined" (run-together words), "acronym" or "abbreviation"


@dataclass(frozen=True)
class Comparison:
    """Outcome of comparing two normalised names, with the parts that produced the score."""

    score: float
    a: NormalisedName
    b: NormalisedName
    pairs: tuple[TokenPair, ...]
    unmatched_a: tuple[str, ...]
    unmatched_b: tuple[str, ...]
    token_score: float
    penalty: str | None  # why the token score was capped, if it was
    swapped: bool = False  # a and b are in canonical order, swapped from the caller's
    promoted: bool = False  # a generic-only name contained in the other: its words count fully
    # Places one name adds that the other party is located at (its country or address), so
    # they do not tell the two apart ("Sophgo Technologies (Singapore)" / a Singapore entry).
    located: tuple[str, ...] = ()
    # The list gives no place for the listed party, so ``located`` are the query's places
    # it may be at (screener.Screener.screen).
    location_unknown: bool = False
    # One name is the other's name in brackets, all of it ("Sugon" / "Dawning Information
    # Industry Co., Ltd. (Sugon)"): scored BRACKETED_ALIAS_SIMILARITY at least.
    bracketed_alias: bool = False

    def explanation(self, first: str = "a", second: str = "b") -> dict[str, Any]:
        """The parts of the score as plain JSON-ready data, keys prefixed ``first_`` for the
        first name given to ``compare_normalised`` and ``second_`` for the other."""
        one, two = (self.b, self.a) if self.swapped else (self.a, self.b)
        unmatched_one, unmatched_two = (
            (self.unmatched_b, self.unmatched_a) if self.swapped else (self.unmatched_a, self.unmatched_b)
        )
        return {
            f"{first}_normalised": one.text,
            f"{second}_normalised": two.text,
            f"{first}_legal_forms": list(one.legal_forms),
            f"{second}_legal_forms": list(two.legal_forms),
            "matched_tokens": [
                {
                    first: p.b if self.swapped else p.a,
                    second: p.a if self.swapped else p.b,
                    "similarity": round(p.similarity, 4),
                    "generic": _generic_pair(p),
                    **({"kind": p.kind} if p.kind != "word" else {}),
                }
                for p in self.pairs
            ],
            f"unmatched_{first}": list(unmatched_one),
            f"unmatched_{second}": list(unmatched_two),
            "token_score": round(self.token_score, 4),
            "rapidfuzz": {
                "token_sort_ratio": round(fuzz.token_sort_ratio(one.text, two.text) / 100, 4),
                "token_set_ratio": round(fuzz.token_set_ratio(one.text, two.text) / 100, 4),
            },
            "penalties": [self.penalty] if self.penalty else [],
            "score": round(self.score, 4),
            "reason": self.reason(),
        }

    def reason(self) -> str:
        if self.a.is_empty or self.b.is_empty:
            return "nothing comparable: a name is empty after normalisation"
        distinctive = [_pair_text(p) for p in self.pairs if not _generic_pair(p)]
        generic = [_pair_text(p) for p in self.pairs if _generic_pair(p)]
        parts = []
        if distinctive:
            parts.append("distinctive words matched: " + ", ".join(distinctive))
        if generic:
            parts.append("generic words matched (weak evidence): " + ", ".join(generic))
        if not self.pairs:
            parts.append("no words in common")
        unmatched = list(self.unmatched_a) + list(self.unmatched_b)
        if unmatched:
            parts.append("unmatched words: " + ", ".join(unmatched))
        if self.bracketed_alias:
            parts.append("one name is the name the other writes in brackets")
        if self.promoted:
            parts.append("a name made only of generic words is contained in the other: its words identify it")
        branch = [" ".join(n.qualifiers) for n in (self.a, self.b) if _branch_places(n)]
        if branch:
            parts.append(f"branch named ({'; '.join(branch)}): a branch is no separate legal person, "
                         "it counts only if both names name one")
        if self.located and self.location_unknown:
            parts.append(f"the list gives no location for the listed party: a place one name adds "
                         f"({', '.join(self.located)}) does not tell them apart")
        elif self.located:
            parts.append(f"the listed party is located there ({', '.join(self.located)}): "
                         "the place does not tell them apart")
        if self.a.legal_forms or self.b.legal_forms:
            parts.append("legal forms ignored")
        if self.penalty:
            parts.append(self.penalty)
        return "; ".join(parts)


def _pair_text(p: TokenPair) -> str:
    if p.kind in ("acronym", "abbreviation"):
        return f"{p.a}~{p.b} ({p.kind})"
    if p.kind == "joined":
        return f"{p.a}~{p.b} (words run together)"
    if p.kind == "shortened":
        return f"{p.a}~{p.b} (shortened)"
    return p.a if p.a == p.b else f"{p.a}~{p.b}"


def _generic_name_covered(
    tokens: list[str], unmatched: tuple[str, ...], unmatched_other: tuple[str, ...],
    pairs: tuple[TokenPair, ...],
) -> bool:
    """A name made only of generic words ("China Mobile Communications", "China Electronics
    Technology Group") is its own identity: it matches when every one of its words pairs up,
    and it has at least two words or the other name has nothing left over. A one-word name
    must meet its very word: "Linde" spelt like "Lines" is no "KB Lines"."""
    return (
        all(map(is_generic, tokens))
        and not unmatched
        and (len(tokens) >= 2 or (not unmatched_other and all(p.similarity == 1.0 for p in pairs)))
        # Two business words and no place name no party against a longer name: "Industrial
        # Technologies" is in every "X Industrial Technologies" (a place and a line are one:
        # "Shenyang Aircraft" in "AVIC Shenyang Aircraft Company").
        and (not unmatched_other or len(tokens) >= 3 or any(map(is_place, tokens)))
    )


# Words that join a name to what completes it: "Société Générale de Pain", "General Company
# for Bread", "Compañía General del Pacífico".
_OF_WORDS = frozenset({"of", "de", "del", "du", "des", "di", "della", "for", "fuer", "fur", "pour", "para", "von"})


def _completed_by_of(name: NormalisedName, unmatched: tuple[str, ...]) -> bool:
    """True if a distinctive word ``name`` has left over follows "of", "de", "for" …: the
    generic words before it are only the start of its name ("Société Générale de Pain", a
    bakery, is no "Société Générale"), not a generic-only name that its words identify."""
    left = {t for t in unmatched if not is_generic(t) and not is_place(t)}
    if not left:
        return False
    spelled = name.spelled
    for k, word in enumerate(spelled[:-1]):
        if word in _OF_WORDS:
            # the words of the name after it (not stopwords nor legal forms: "… des Pains SPRL")
            after = [t for t in map(canonical, spelled[k + 1:]) if t in name.tokens]
            # … are only what it leaves over: the words both names share come before ("Korea
            # General Corporation for External Construction" ends with the "Korea General
            # Construction" it is)
            if after and after[0] in left and all(t in unmatched for t in after):
                return True
    return False


def _leftover_weight(token: str, own_leftovers: tuple[str, ...], other_leftovers: tuple[str, ...]) -> float:
    """Weight of a word left over when both names have words left over: they describe two
    businesses differently ("Delta Electronics" / "Delta Parts Supply"), so a generic word
    weighs ``CONFLICT_WEIGHT``, more than a mere extra word. A name that adds only a place
    adds no description but where the party is registered ("Hangzhou Hikvision" / "Hikvision
    Digital Technology"): its places keep their weight. Not when it adds a business word too
    ("Sichuan Jian'an Industry" / "Jianan Technology": another line of work, somewhere), nor
    when the other name has a distinctive word left, which may be a place not in the
    vocabulary ("Beihang University Dongying …" / "Beihang University Jiangxi …")."""
    if all(map(is_place, own_leftovers)) and all(map(is_generic, other_leftovers)):
        return token_weight(token)
    return max(token_weight(token), CONFLICT_WEIGHT)


def _generic_pair(pair: TokenPair) -> bool:
    if pair.kind == "shortened":
        return True  # a clerk's shortening is a likely, not a distinctive, match
    if pair.kind != "word":
        return False  # an acronym or run-together spelling is evidence of the whole name
    return is_generic(pair.a) or is_generic(pair.b)


def _join_runs(tokens: list[str], others: tuple[str, ...]) -> list[str]:
    """Join runs of 2–3 adjacent tokens that spell a token of the other name."""
    if len(tokens) < 2:
        return tokens
    starts = {t[0] for t in tokens[:-1]}  # a run starts like the token it spells
    # A short token with a digit is spelt only exactly: "3M" / "Three M" (3 m), "360" /
    # "Three Sixty" (3 60), "7-Eleven" / "7Eleven".
    targets = [t for t in others if (len(t) >= 4 or (len(t) >= 2 and _has_digit(t)))
               and t[0] in starts and t not in tokens]
    if not targets:
        return tokens

    by_initial: dict[str, list[str]] = {}
    for t in targets:
        by_initial.setdefault(t[0], []).append(t)

    def spells_target(run: str) -> bool:
        # A joined run must start like the token it spells and be about as long
        # (similarity >= JOIN_MATCH_MIN bounds the length ratio): cheap checks first.
        return any(
            run == t if len(t) < 4 else (
                JOIN_MATCH_MIN * len(t) <= len(run) <= len(t) / JOIN_MATCH_MIN
                and Levenshtein.normalized_similarity(run, t) >= JOIN_MATCH_MIN
                # or spelt as another romanisation spells it ("Bou Ali" / "Buali")
                or translit_skeleton(run) == translit_skeleton(t))
            for t in by_initial.get(run[0], ())
        )

    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i][0] not in by_initial:
            out.append(tokens[i])
            i += 1
            continue
        for size in (3, 2):
            if i + size <= len(tokens) and spells_target("".join(tokens[i : i + size])):
                out.append("".join(tokens[i : i + size]))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _align(a: list[str], b: list[str]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one pairing of tokens, most similar (then heaviest) pairs first."""
    candidates = []
    for i, ta in enumerate(a):
        for j, tb in enumerate(b):
            sim = token_similarity(ta, tb)
            if sim:
                candidates.append((-sim, -(token_weight(ta) + token_weight(tb)), i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for neg_sim, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, -neg_sim))
    return pairs


# A group pairs a set of token positions of one name with a set of the other.
_Group = tuple[frozenset[int], frozenset[int], TokenPair]


def _recover_joined(ta: list[str], tb: list[str], free_a: set[int], free_b: set[int],
                    b: NormalisedName) -> list[_Group]:
    """Leftover words of A that are words of B run together ("acmeag" / "acme ag",
    "vanderbilt" / "van der bilt"): B's words as written, legal forms and stopwords included."""
    groups: list[_Group] = []
    runs = b.spelled_runs
    for i in sorted(free_a):
        word = ta[i]
        run = runs.get(word) if len(word) >= 5 else None
        if run is None or not word.isalpha():
            continue
        # The run's words that are tokens of B must all be free: as B has them, canonical
        # ("Uralvagon Zavod": the token of "zavod" is "factory").
        words = [w if w in tb else canonical(w) for w in run]
        content = [j for w in words for j in sorted(free_b) if tb[j] == w]
        if content and len(content) == len(set(content)) == sum(1 for w in words if w in tb):
            free_a.discard(i)
            free_b.difference_update(content)
            groups.append((frozenset({i}), frozenset(content), TokenPair(word, " ".join(run), 1.0, "joined")))
    return groups


def _recover_shortened(ta: list[str], tb: list[str], free_a: set[int], free_b: set[int],
                       main_a: int, main_b: int, b: NormalisedName) -> list[_Group]:
    """Leftover words of A that shorten a leftover word of B the way clerks do: its start
    ("Constr" / "Construction", "Transp" / "Transportation") or its first and last letters
    with some between ("Shpg" / "Shipping", "Inds" / "Industries", "Hldgs" / "Holdings").
    B's word as written counts too: "industries" is the token "industry". Weak evidence,
    like a generic word (``_generic_pair``): a shortened word alone makes no match. A
    business word is a word, not a shortening: "Micro" is no "MicroBT", "Air" no "Airlines"."""
    groups: list[_Group] = []
    for i in sorted(free_a):
        word = ta[i]
        if i >= main_a or len(word) < SHORTENED_MIN_LENGTH or not word.isalpha() or is_generic(word):
            continue
        for j in sorted(free_b):
            if j < main_b and any(_shortens(word, w, clerk=is_generic(tb[j])) for w in b.written_forms(tb[j])):
                free_a.discard(i)
                free_b.discard(j)
                groups.append((frozenset({i}), frozenset({j}), TokenPair(word, tb[j], SHORTENED_SIMILARITY,
                                                                         "shortened")))
                break
    return groups


_VOWEL_SET = frozenset("aeiou")


@lru_cache(maxsize=1 << 16)
def shortened_similarity(a: str, b: str) -> float:
    """SHORTENED_SIMILARITY when one word shortens the other the way ``_recover_shortened``
    pairs leftover words (the shorter one no business word), else 0: how the screening index
    bounds what such a pair may add to a score."""
    for short, word in ((a, b), (b, a)):
        if (len(short) >= SHORTENED_MIN_LENGTH and short.isalpha() and not is_generic(short)
                and _shortens(short, word, clerk=is_generic(canonical(word)))):
            return SHORTENED_SIMILARITY
    return 0.0


def _shortens(short: str, word: str, clerk: bool = False) -> bool:
    """True if ``short`` is ``word``'s start, or its first and last letters with some of
    those between, in order (``_recover_shortened``). With ``clerk`` (``word`` a business
    word), those between are consonants, as clerks contract business words ("Mgmt", "Hldgs",
    "Shpg", "Bkg"): "Era" keeps letters of "Electronica", and is no contraction of it."""
    if len(word) < len(short) + 2 or short[0] != word[0] or not word.isalpha():
        return False
    if word.startswith(short):
        return True
    if short[-1] != word[-1] or len(short) > CONTRACTED_MAX_LENGTH or (clerk and _VOWEL_SET.intersection(short[1:-1])):
        return False
    if sum(c not in _VOWEL_SET for c in short) < 2:
        return False  # a contraction keeps consonants: "Bkg", "Mktg"; "ICE" is no "Insurance"
    rest = iter(word[1:-1])
    return all(c in rest for c in short[1:-1])


def _initials(words: list[str] | tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w)


def acronyms(tokens: tuple[str, ...] | list[str], legal_initials: str, spelled: tuple[str, ...] = ()) -> set[str]:
    """The acronyms a name (or its leftover words) may be written as: initials of its words,
    with some or all of its legal form ("SMIC": …Corporation; "TSMC": …Company Limited),
    and, for a whole name, of its words as written with or without stopwords."""
    if len(tokens) < ACRONYM_MIN_WORDS:
        return set()
    leftover = _initials(tokens)
    found = {leftover + legal_initials[:k] for k in range(len(legal_initials) + 1)}
    if spelled:
        found.add(_initials(spelled))
        found.add(_initials([w for w in spelled if w not in STOPWORDS]))
        # Words as written before the legal form, split at capitals ("ChangXin Memory
        # Technologies, Inc." → "CXMT"), with some or all of its initials.
        core = [w for w in spelled[: len(spelled) - len(legal_initials)] if w not in STOPWORDS]
        found |= _with_legal_initials(core, legal_initials)
    found = {x for x in found if ACRONYM_MIN_LENGTH <= len(x) <= ACRONYM_MAX_LENGTH}
    if spelled and len(tokens) == ACRONYM_MIN_WORDS:
        core = [w for w in spelled[: len(spelled) - len(legal_initials)] if w not in STOPWORDS]
        if len(core) == ACRONYM_MIN_WORDS:
            found.add(_initials(core))  # as written: "IFP" / "Instrumentation Factory Plant"
        # A whole name of three words is also written as their three initials ("HPE" /
        # "Hewlett Packard Enterprise", "BNC" / "Banco Nacional de Cuba", "SEI" / "Shiraz
        # Electronics Industries": the lists give some seventy such aliases): an acronym of
        # the whole name, not of some run of words in a longer one. Screening counts it
        # only where the name is written beside it (``screener._initials_by_chance``).
        found.add(leftover)
    return found


def _written_core(name: NormalisedName, legal: bool = False) -> list[str]:
    """The words of a name as written, stopwords and (unless ``legal``) the legal form ending
    it left out."""
    end = len(name.spelled) - (0 if legal else len(name.legal_initials))
    return [w for w in name.spelled[:end] if w not in STOPWORDS]


def _whole_name_spellings(words: list[str], name: NormalisedName) -> set[str]:
    """More acronyms of a whole name: its words' initials with any of its legal form's, in
    order ("CATL" / "Contemporary Amperex Technology Co., Limited"); for a name of two words,
    their two initials ("GE" / "General Electric") and three letters with the legal form's
    first ("UMC" / "United Microelectronics Corporation", "HAL" / "Hindustan Aeronautics
    Limited")."""
    if len(words) < 2:
        return set()
    letters, legal = _initials(words), name.legal_initials
    found = {letters + "".join(sub) for k in range(1, len(legal) + 1) for sub in combinations(legal, k)}
    found = {x for x in found if (len(words) == 2 and len(x) == 3) or ACRONYM_MIN_LENGTH <= len(x) <= ACRONYM_MAX_LENGTH}
    if len(words) == 2:
        found.add(letters)  # "GE" / "General Electric", "BP" / "British Petroleum"
    return found


def _written_acronym_runs(name: NormalisedName) -> Iterator[tuple[list[str], str]]:
    """Runs of ``ACRONYM_MIN_WORDS`` to ``ACRONYM_MAX_LENGTH`` adjacent words of a name as
    written (an acronym has a letter a word), each with the initials of the name's legal
    form when the run ends the name ("" otherwise)."""
    core = _written_core(name)
    for start in range(len(core)):
        for end in range(start + ACRONYM_MIN_WORDS, min(len(core), start + ACRONYM_MAX_LENGTH) + 1):
            yield core[start:end], name.legal_initials if end == len(core) else ""


def _with_legal_initials(words: list[str], legal: str) -> set[str]:
    """The initials of ``words`` with some or all of the ``legal`` form's, and the same with
    "Group" left out, as groups write their acronym ("CETC" / "China Electronics Technology
    Group Corporation")."""
    found = {_initials(words) + legal[:k] for k in range(len(legal) + 1)}
    grouped = [w for w in words if w != "group"]
    if len(grouped) >= ACRONYM_MIN_WORDS and len(grouped) < len(words):
        found.update(_initials(grouped) + legal[:k] for k in range(len(legal) + 1))
    return found


def _run_spellings(run: list[str], legal: str) -> set[str]:
    return {x for x in _with_legal_initials(run, legal) if ACRONYM_MIN_LENGTH <= len(x) <= ACRONYM_MAX_LENGTH}


def written_run_acronyms(name: NormalisedName) -> set[str]:
    """Acronyms of the runs of a name's words as written, which may differ from those of its
    comparable words: a legal-form word inside the name ("CNPC" of "China National Petroleum
    Corporation" in "… Corporation International", "HSBC" of "Hongkong and Shanghai Banking
    Corporation" in "… Corporation Holdings") or a word written otherwise ("TMCP" of
    "Tikhoretsk Machine Construction Plant", whose "Plant" compares as "factory"). Only runs
    whose other words are comparable words of the name ("Open Joint Stock Company" is a
    legal form, not a name): what the index looks up for ``_written_run_spellings``.

    Most names' words as written have the initials of their comparable words, in order; then
    their runs spell no acronym the runs of the comparable words do not (those of a name's
    first twelve words, which ``screener._run_acronyms`` adds), and none is spelled out here."""
    core = _written_core(name)
    if len(core) == len(name.tokens) <= 12 and _initials(core) == _initials(name.tokens):
        return set()
    words = set(name.tokens)
    found: set[str] = set()
    for run, legal in _written_acronym_runs(name):
        if all(w in LEGAL_FORMS or canonical(w) in words for w in run):
            found |= _run_spellings(run, legal)
    return found


def _written_run_spellings(words: list[str], name: NormalisedName) -> set[str]:
    """Acronyms of a run of ``name``'s words as written that is ``words`` (its leftover
    words, in order), legal-form words among them or not."""
    found: set[str] = set()
    for run, legal in _written_acronym_runs(name):
        if [canonical(w) for w in run if w not in LEGAL_FORMS] == words:
            found |= _run_spellings(run, legal)
    return found


def abbreviates(word: str, words: list[str] | tuple[str, ...]) -> bool:
    """True if ``word`` is the start of each of ``words`` in order, run together:
    "avic" (Av-iation I-ndustry C-hina), "sinochem" (Sino Chem-ical), "gazprom" (Gaz-ovaya
    Prom-yshlennost). Every word gives at least one letter, and from two words at least
    ``ABBREVIATION_MIN_PART`` each (syllables, not letters: "Ka Naan" is no "Kanaan")."""
    if len(words) < 2 or len(word) < ACRONYM_MIN_LENGTH or not word.isalpha():
        return False
    least = ABBREVIATION_MIN_PART if len(words) == 2 else 1

    def fits(start: int, k: int) -> bool:
        if k == len(words):
            return start == len(word)
        rest = len(words) - k - 1  # the words after this one need a letter each at least
        part = words[k]
        longest = min(len(part), len(word) - start - rest * least)
        return any(word.startswith(part[:n], start) and fits(start + n, k + 1)
                   for n in range(longest, least - 1, -1))

    return fits(0, 0)


def _abbreviates_as_spelt(word: str, words: list[str] | tuple[str, ...]) -> bool:
    """``abbreviates``, also in transliteration skeletons: a romanisation may spell the
    abbreviation and the words differently ("Sovcomflot" / "Sovremennyy Kommercheskiy Flot",
    c and k)."""
    return abbreviates(word, words) or abbreviates(translit_skeleton(word), [translit_skeleton(w) for w in words])


def _recover_acronym(ta: list[str], tb: list[str], free_a: set[int], free_b: set[int],
                     a: NormalisedName, b: NormalisedName, main_a: int, main_b: int) -> list[_Group]:
    """The one leftover word of A that is the acronym of B's leftover words ("tsmc" / "taiwan
    semiconductor manufacturing [company]"), or of B's whole name as written, or abbreviates
    them ("avic" / "aviation industry [corporation of] china"). A must have nothing else left
    over: "AECC South Industry" is not "Aircraft Engineering Concern".

    Three letters spell some run of three words of almost any name among tens of thousands,
    so a three-letter acronym counts only with its legal form, and when that spells B's too
    ("ZTE Corp" / "Zhongxing Telecommunication Equipment Corporation": "ztec")."""
    # Only the words of the names themselves: not a place or business word in parentheses
    # after them ("Sophgo Technologies Ltd. [CN]" spells no "STC", "(UAE)" is no acronym).
    main_a -= len(a.tokens) - len(a.core_tokens)
    main_b -= len(b.tokens) - len(b.core_tokens)
    rest = [j for j in sorted(free_b) if j < main_b]
    if len(rest) < 2 or len(free_a) != 1:
        return []
    whole = len(rest) == main_b  # nothing of B is matched yet: its whole name as written
    words = [tb[j] for j in rest]
    spellings = acronyms(words, b.legal_initials, b.spelled if whole else ())
    if not whole:
        spellings |= _written_run_spellings(words, b)
        if len(words) == ACRONYM_MIN_WORDS and any(
                not is_generic(tb[j]) for j in range(main_b) if j not in free_b):
            # Three words left over beside a distinctive word both names share, spelled by
            # A's one word left over: "BNP Paribas" / "Banque Nationale de Paris Paribas".
            # Beside generic words only, three initials are chance: "ABC Holdings" / "Alpha
            # Beta Capital Holdings", and among listed names any three letters and "Trading".
            spellings.add(_initials(words))
    else:
        spellings |= _whole_name_spellings(words, b)
    for i in sorted(free_a):
        word = ta[i]
        if not word.isalpha() or i >= main_a:
            continue
        if word in spellings or word + a.legal_initials in spellings or set(words) <= b.acronyms_in_brackets.get(
                word, frozenset()):
            # (or B writes this acronym in brackets after these words: "… Group Corp. (CETC)")
            kind = "acronym"
        elif _abbreviates_as_spelt(word, words) or (whole and _abbreviates_as_spelt(word, _written_core(b, legal=True))):
            kind = "abbreviation"
        else:
            continue
        free_a.discard(i)
        free_b.difference_update(rest)
        return [(frozenset({i}), frozenset(rest), TokenPair(word, " ".join(words), ACRONYM_SIMILARITY, kind))]
    return []


def _flip(g: _Group) -> _Group:
    return g[1], g[0], TokenPair(g[2].b, g[2].a, g[2].similarity, g[2].kind)


def compare_normalised(a: NormalisedName, b: NormalisedName, located_b: frozenset[str] = frozenset()) -> Comparison:
    """Compare two normalised names (see the module docstring). ``located_b``: the places
    (canonical place words) where the party named ``b`` is located, from its list entry; a
    place that ``a`` adds and ``b`` is located at does not tell the two apart."""
    swapped = b.key < a.key
    known_a: frozenset[str] = frozenset()
    known_b = located_b
    if swapped:  # canonical order makes the score exactly symmetric
        a, b = b, a
        known_a, known_b = known_b, known_a
    if a.is_empty or b.is_empty:
        return Comparison(0.0, a, b, (), a.tokens, b.tokens, 0.0, None, swapped)
    ta = _join_runs(list(a.tokens), b.tokens)
    tb = _join_runs(list(b.tokens), tuple(ta))
    ta = _join_runs(ta, tuple(tb))
    main_a, main_b = len(ta), len(tb)
    # Parenthesised aliases take part in the pairing but cost nothing when unmatched.
    optional_a = set(range(main_a, main_a + len(a.qualifiers)))
    optional_b = set(range(main_b, main_b + len(b.qualifiers)))
    ta += a.qualifiers
    tb += b.qualifiers
    groups: list[_Group] = [
        (frozenset({i}), frozenset({j}), TokenPair(ta[i], tb[j], s)) for i, j, s in _align(ta, tb)
    ]
    free_a = set(range(main_a)) - {i for g in groups for i in g[0]}
    free_b = set(range(main_b)) - {j for g in groups for j in g[1]}
    if free_a and free_b:
        groups += _recover_joined(ta, tb, free_a, free_b, b)
        groups += map(_flip, _recover_joined(tb, ta, free_b, free_a, a))
    if free_a and free_b:
        groups += _recover_acronym(ta, tb, free_a, free_b, a, b, main_a, main_b)
        groups += map(_flip, _recover_acronym(tb, ta, free_b, free_a, b, a, main_b, main_a))
    if free_a and free_b:
        groups += _recover_shortened(ta, tb, free_a, free_b, main_a, main_b, b)
        groups += map(_flip, _recover_shortened(tb, ta, free_b, free_a, main_b, main_a, a))
    groups.sort(key=lambda g: (min(g[0]), min(g[1])))
    paired_a = {i for g in groups for i in g[0]}
    paired_b = {j for g in groups for j in g[1]}
    unmatched_a = tuple(t for i, t in enumerate(ta) if i not in paired_a and i not in optional_a)
    unmatched_b = tuple(t for j, t in enumerate(tb) if j not in paired_b and j not in optional_b)
    pairs = tuple(g[2] for g in groups)

    # A name made only of generic words ("Shenyang Aircraft", "China Telecom") that the
    # other name wholly contains is identified by those words: they count as distinctive.
    # Contains in its name, not in the place written in parentheses after it: "Samsung
    # Electronics [CN]" does not contain "China Electronics".
    core_a = main_a - (len(a.tokens) - len(a.core_tokens))
    core_b = main_b - (len(b.tokens) - len(b.core_tokens))
    in_brackets = [(any(core_a <= i < main_a for i in g[0]), any(core_b <= j < main_b for j in g[1])) for g in groups]
    via_brackets_a = any(x and not y for x, y in in_brackets)  # a's parentheses met b's name
    via_brackets_b = any(y and not x for x, y in in_brackets)
    promoted = (not via_brackets_b and _generic_name_covered(ta[:main_a], unmatched_a, unmatched_b, pairs)
                and not _completed_by_of(b, unmatched_b)) or (
        not via_brackets_a and _generic_name_covered(tb[:main_b], unmatched_b, unmatched_a, pairs)
        and not _completed_by_of(a, unmatched_a))

    def group_weight(g: _Group) -> float:
        if promoted:
            return DISTINCTIVE_WEIGHT * (len(g[0]) + len(g[1]))
        return sum((token_weight(ta[i]) for i in g[0]), 0.0) + sum((token_weight(tb[j]) for j in g[1]), 0.0)

    weights = [group_weight(g) for g in groups]
    matched = sum((g[2].similarity * w for g, w in zip(groups, weights)), 0.0)
    # Generic words left over on both sides describe two different businesses ("Delta
    # Electronics" / "Delta Parts Supply"): then they weigh more than mere extra words.
    leftover_weight = sum(map(token_weight, unmatched_a + unmatched_b), 0.0)
    if unmatched_a and unmatched_b:
        leftover_weight = (sum((_leftover_weight(t, unmatched_a, unmatched_b) for t in unmatched_a), 0.0)
                           + sum((_leftover_weight(t, unmatched_b, unmatched_a) for t in unmatched_b), 0.0))
    total = sum(weights, 0.0) + leftover_weight
    token_score = matched / total if total else 0.0
    score, penalty = token_score, None
    alias = _bracketed_alias(a, b) or _bracketed_alias(b, a)
    # A veto only caps: below the cap there is nothing to veto (and most pairs a screening
    # compares score low, so this saves most of the work). A name that is the other's
    # bracketed name is that name, whatever else the other says.
    veto = (_veto(a, b, pairs, unmatched_a, unmatched_b, promoted, known_a, known_b)
            if score > VETO_CAP and not alias else None)
    if veto:
        score, penalty = VETO_CAP, f"capped at {VETO_CAP:.2f}: {veto}"
    if alias:
        score = max(score, BRACKETED_ALIAS_SIMILARITY)
    located = tuple(sorted({t for t in unmatched_a if t in known_b} | {t for t in unmatched_b if t in known_a}))
    return Comparison(score, a, b, pairs, unmatched_a, unmatched_b, token_score, penalty, swapped, promoted,
                      located, bracketed_alias=alias)


# A name that is the whole of another's bracketed name: a near-certain match, as an acronym
# the other name spells out.
BRACKETED_ALIAS_SIMILARITY = 0.95


def _bracketed_alias(a: NormalisedName, b: NormalisedName) -> bool:
    """True if ``a`` is, word for word, the name ``b`` writes in brackets after its own
    ("Sinopec" / "China Petroleum & Chemical Corporation (Sinopec)", "Sugon" / "Dawning
    Information Industry Co., Ltd. (Sugon)"), with a distinctive word in it: the listing's
    own word that the party goes by that name. Not places, business words or numbers in
    brackets (those are qualifiers of the name, not a name: ``normalise_name``)."""
    return (bool(b.qualifiers) and not a.qualifiers and a.tokens == b.qualifiers
            and any(not is_generic(t) for t in a.tokens))


def _veto(a: NormalisedName, b: NormalisedName, pairs: tuple[TokenPair, ...],
          unmatched_a: tuple[str, ...], unmatched_b: tuple[str, ...], promoted: bool,
          known_a: frozenset[str] = frozenset(), known_b: frozenset[str] = frozenset()) -> str | None:
    """Why two names that share words still name different parties (module docstring).
    ``known_a`` / ``known_b``: places where party a / b is located, which the other name may
    add without naming another party."""
    # Numbers, and codes with digits in them ("2006-HQ8" / "2006-HQ9", a trust's series).
    # A number written twice in one name ("… Corporation 29 (CETC 29) Research Institute")
    # and matched once is no number the other lacks.
    shared_numbers = {p.a for p in pairs if _has_digit(p.a)} | {p.b for p in pairs if _has_digit(p.b)}
    numbers_a = sorted(t for t in unmatched_a if _has_digit(t) and t not in shared_numbers)
    numbers_b = sorted(t for t in unmatched_b if _has_digit(t) and t not in shared_numbers)
    if numbers_a and numbers_b:
        return f"different numbers ({' '.join(numbers_a)} / {' '.join(numbers_b)})"
    if numbers_a or numbers_b:
        return f"a number only one name has ({' '.join(numbers_a or numbers_b)})"
    branches = (_branch_places(a), _branch_places(b))
    if all(branches) and branches[0] != branches[1]:
        return f"different branches ({' '.join(branches[0])} / {' '.join(branches[1])})"
    if a.series != b.series:
        return f"different series ({' '.join(a.series) or '-'} / {' '.join(b.series) or '-'})"
    if a.bracketed and b.bracketed and not any(
        token_similarity(x, y) or _place_initial(x, y) or _place_initial(y, x) for x in a.bracketed for y in b.bracketed
    ) and "".join(a.bracketed) != "".join(b.bracketed):  # "(Shang Hai)" / "(Shanghai)"
        return f"different words in brackets ({' '.join(a.bracketed)} / {' '.join(b.bracketed)})"
    # A bracketed place that repeats a place both names have annotates, not a branch: "Korea
    # Mining Development Trading Corporation (North Korea)" / "KOREA MINING DEVELOPMENT …".
    shared_places = {w for p in pairs for w in (p.a, p.b) if is_place(w)}
    for name, unmatched, other, known in ((a, unmatched_a, b, known_b), (b, unmatched_b, a, known_a)):
        # An address note after the legal form ("… Inc. (Hefei)") names another party only
        # where the other party is known to be elsewhere (``screener.compare_located``).
        noted = frozenset(name.annotations) if not known else frozenset()
        branch = sorted(t for t in unmatched if is_place(t) and t in name.bracketed and t not in known
                        and t not in noted and not any(t.endswith(s) for s in shared_places))
        if branch and not other.bracketed:
            return f"a place in brackets only one name has ({' '.join(branch)}): a branch or subsidiary"
        # A country or city ending a name the other lacks, after words the other lacks too
        # ("Hut 8 Mining Services Iran" / "Hut 8"): a branch or subsidiary there.
        if (name.tokens and name.tokens[-1] in unmatched and is_place(name.tokens[-1])
                and name.tokens[-1] not in known and name.tokens[-1] not in noted and len(unmatched) >= 2):
            return f"a place ending one name only ({name.tokens[-1]}): a branch or subsidiary"
        # A country written between a name and its legal form, which the other name lacks
        # ("Huawei Technologies USA Inc." / "Huawei Technologies Co., Ltd.", "ZTE USA, Inc.",
        # "Rosneft Deutschland GmbH"): the group's company there. Not the country a name
        # ends with and no legal form follows ("BANK SADERAT IRAN" / "Bank Saderat"), nor
        # one the name is "of" ("Sberbank of Russia"): the party's own.
        if (name.tokens and name.tokens[-1] in unmatched and _country_before_form(name)
                and name.tokens[-1] not in known and name.tokens[-1] not in noted
                and not any(is_place(t) for t in (unmatched_b if unmatched is unmatched_a else unmatched_a))):
            return f"a country between one name and its legal form ({name.tokens[-1]}): the group's company there"
    places_a = sorted(t for t in unmatched_a if is_place(t) and t not in known_b)
    places_b = sorted(t for t in unmatched_b if is_place(t) and t not in known_a)
    if places_a and places_b:
        return f"different places ({' '.join(places_a)} / {' '.join(places_b)})"
    sectors_a = {sector(t) for t in unmatched_a} - {None}
    sectors_b = {sector(t) for t in unmatched_b} - {None}
    if sectors_a and sectors_b and not sectors_a & sectors_b:
        words_a = sorted(t for t in unmatched_a if sector(t))
        words_b = sorted(t for t in unmatched_b if sector(t))
        return f"different lines of business ({' '.join(words_a)} / {' '.join(words_b)})"
    # A trading, leasing or financing arm one name adds to the other's name, which names none:
    # "Rosneft" / "Rosneft Trading S.A.", "KAMAZ PJSC" / "Kamaz Leasing Company", "Ford Motor
    # Company" / "Ford Motor Credit Company", "VTB Bank" / "VTB Capital": a group's subsidiary,
    # another legal person. Not a business the name says it is for ("Tariq Abu Shanab Est." /
    # "… Est. for Trade & Commerce"): what the party itself does.
    # Written after the words both names share, not among them ("Sevastopol Sea Trading Port"
    # / "Sevastopol Sea Port" name one port); and only where the other name names no such
    # business in words of its own ("Hyoksin Trading" / "Hyoksin Export and Import").
    for own, others, other_name, whole in ((unmatched_a, unmatched_b, b, a), (unmatched_b, unmatched_a, a, b)):
        shared = [k for k, t in enumerate(whole.tokens) if t not in own]
        side = sorted(t for k, t in enumerate(whole.tokens) if t in own and t in _SUBSIDIARY_WORDS
                      and t not in other_name.tokens and shared and k > shared[-1] and not _named_purpose(t, whole)
                      # "Kestrel Ticaret" / "Kestrel Sanayi ve Ticaret Ltd. Şti.": the other's
                      # formula names the trade (vocabulary.TRAILING_LEGAL_PHRASES)
                      and not (t == "trade" and _TURKISH_TRADE.intersection(other_name.legal_forms)))
        if side and not any(t in _SUBSIDIARY_WORDS or sector(t) in _SUBSIDIARY_SECTORS for t in others):
            return f"a trading or financing arm only one name names ({' '.join(side)}): a subsidiary"
    countries_a, countries_b = _form_countries(a), _form_countries(b)
    if countries_a and countries_b and not countries_a & countries_b:
        return (f"legal forms of different countries ({' '.join(_native_forms(a))} / "
                f"{' '.join(_native_forms(b))}): one group's companies in two countries")
    distinctive = [p for p in pairs if not _generic_pair(p)]
    if distinctive and all(len(p.a) == 1 and p.a.isalpha() for p in distinctive) and (unmatched_a or unmatched_b):
        # "D-Central Technologies" / "D Company": a letter is no name, not even one in common.
        return f"only single letters in common ({' '.join(p.a for p in distinctive)}) and other words differ"
    if distinctive and all(p.a.isdigit() for p in distinctive) and unmatched_a and unmatched_b:
        # "FirstEnergy" / "Russia-1", "First Mining" / "No. 1 Mining Enterprise": a number
        # tells apart parties that share a name; shared, with words on both sides that
        # differ, it does not make one.
        return f"only numbers in common ({' '.join(p.a for p in distinctive)}) and other words differ"
    if not distinctive:
        if not promoted:
            return "no distinctive word in common, only generic words"
        # A name made only of generic words is identified by them: the other name adding
        # a line of business they do not name is another party ("Bank of China" / "China
        # Construction Bank"), and so is one adding a word that says what else it does
        # ("Power Engineers" / "Micro Power Engineering Group"), unless that word names only
        # the kind of body it is ("Palestine Relief Fund" / "… Relief and Development Fund").
        lines = {sector(w) for p in pairs for w in (p.a, p.b)}
        extra = sorted(t for t in unmatched_a + unmatched_b if sector(t) not in lines | {None} or (
            sector(t) is None and _describes(t) and t not in INSTITUTION_WORDS))
        if extra:
            return f"a line of business only one name has ({' '.join(extra)})"
        # Nor a place it does not name, unless the party is known to be there: "Industrial
        # Bank of Korea" is not the "Industrial Bank" of Syria, nor "Bank of East Asia" the
        # "North East Asia Bank".
        elsewhere = sorted({t for t in unmatched_a if _named_place(t) and t not in known_b}
                           | {t for t in unmatched_b if _named_place(t) and t not in known_a})
        elsewhere = [t for t in elsewhere if not any(t.endswith(s) for s in shared_places)]
        if elsewhere:
            return f"a place only one name has ({' '.join(elsewhere)}), beside generic words only"
        return None
    if len(distinctive) == 1 and distinctive[0].kind == "word" and distinctive[0].similarity < 1.0:
        only = distinctive[0]
        if _transliterated_vowels(a, b, only):
            return None
        leftover_distinctive = any(not is_generic(t) for t in unmatched_a + unmatched_b)
        one_word = (not unmatched_a) != (not unmatched_b)  # one name is just that word
        # Each name adds words the other lacks ("Canaan Group" / "Kanaan Travel"): two
        # businesses described differently, with only a sound-alike word in common.
        both_add = bool(unmatched_a) and bool(unmatched_b)
        if len(pairs) == 1 and (leftover_distinctive or one_word or both_add):
            return (f"the only word in common is matched by spelling or sound alone "
                    f"({only.a}~{only.b}) and other words differ")
        if len(pairs) == 1 and only.similarity < BARE_WORD_MIN and not _slip(only.a, only.b, _typed(a, b)):
            return f"one-word names need a near-exact match ({only.a}~{only.b})"
    return _different_additions(pairs, unmatched_a, unmatched_b) or _everyday_word_only(
        pairs, unmatched_a, unmatched_b, a, b)


_SUBSIDIARY_WORDS = frozenset({"trade", "impex", "leasing", "credit", "finance", "insurance", "investment", "capital",
                               "securities", "asset", "brokerage"})
_SUBSIDIARY_SECTORS = frozenset({"trade", "finance", "insurance", "investment"})
_TURKISH_TRADE = frozenset({"ticaret", "tic"})


def _native_forms(name: NormalisedName) -> list[str]:
    """The legal-form words leading or ending a name, as written, that only some countries'
    company law uses (``FORM_COUNTRIES``: "Inc.", "GmbH", "Pte", not "Ltd." or "LLC")."""
    spelled = name.spelled
    ending = spelled[len(spelled) - len(name.legal_initials):] if name.legal_initials else ()
    leading = []
    for word in spelled:
        if word not in FORM_COUNTRIES:
            break
        leading.append(word)
    return [w for w in (*leading, *ending) if w in FORM_COUNTRIES]


def _form_countries(name: NormalisedName) -> frozenset[str]:
    """The countries whose law has every native legal form the name is written with."""
    forms = _native_forms(name)
    return frozenset.intersection(*(FORM_COUNTRIES[w] for w in forms)) if forms else frozenset()


def _has_digit(token: str) -> bool:
    """A number, or a short code with digits in it ("hq8", "ldp10"; not a word and a number
    run together in pairing, "ganadera5")."""
    return token.isdigit() or (len(token) <= 6 and any(c.isdigit() for c in token))


def _country_before_form(name: NormalisedName) -> bool:
    """True if a name's last word is a country (not a city, province, direction or Hong Kong), written
    right before the legal form that ends the name and not after "of"."""
    country = name.tokens[-1]
    if not name.legal_initials or not is_place(country) or country in DIRECTIONS or country in _CITIES:
        return False
    spelled = name.spelled
    end = len(spelled) - len(name.legal_initials)
    # (the word as written: "USA" is the token "us", "Deutschland" a word of its own)
    return (end >= 2 and spelled[end - 2] not in STOPWORDS
            and normalise_name(spelled[end - 1]).tokens[-1:] == (country,))


# Cities, provinces and the two Chinese cities that are regions of their own: "… HK Ltd" is
# how a trading company writes where it is registered, and the lists name one party "Joinus
# Freight Systems HK Ltd" and "Joinus Freight Systems Global Logistics Limited".
_CITIES = frozenset().union(*PLACES_IN.values()) | {"hongkong", "macau", "macao"}


def _named_purpose(token: str, name: NormalisedName) -> bool:
    """True if ``name`` writes ``token`` after "for" ("Establishment for Trade and Commerce")
    or in a run of words after it."""
    spelled = name.spelled
    for k, word in enumerate(spelled):
        if canonical(word) == token:
            return "for" in spelled[max(0, k - 3):k]
    return False


def _different_additions(pairs: tuple[TokenPair, ...], unmatched_a: tuple[str, ...],
                         unmatched_b: tuple[str, ...]) -> str | None:
    """One word in common, a distinctive one, and each name adds words saying what the party
    does that the other lacks, of no common line of business, where one of them is of no known
    line (two known different lines are vetoed before, "Acme Oil" / "Acme Gas"): "Kestrel
    Engineering" / "Kestrel Textiles", "Nova Consulting" / "Nova Jewellery". Two companies
    that share a brand word, each described by its own business. Not words of one
    line ("Mahan Air" / "Mahan Airlines", "Foundry Digital" / "Foundry Networks"), nor words
    that say only what kind of body it is or how big ("Kalashnikov Group" / "Kalashnikov
    Concern", "Volga Group" / "Volga Gas": a group and its company); places are judged apart
    (``_veto``'s place rules)."""
    if len(pairs) != 1 or pairs[0].kind != "word" or pairs[0].similarity < 1.0 or is_generic(pairs[0].a):
        return None
    own_a = [t for t in unmatched_a if not is_place(t)]
    own_b = [t for t in unmatched_b if not is_place(t)]
    if not own_a or not own_b or not all(map(is_generic, own_a + own_b)):
        return None
    if ({sector(t) for t in own_a} & {sector(t) for t in own_b}) - {None}:
        return None

    def described(words: list[str]) -> bool:
        return any(_describes(t) and t not in INSTITUTION_WORDS for t in words)

    if not (described(own_a) and described(own_b)):
        return None
    return (f"one word in common ({pairs[0].a}), and each name adds what the party does, of no common "
            f"line of business ({' '.join(sorted(own_a))} / {' '.join(sorted(own_b))})")


def _everyday_word_only(pairs: tuple[TokenPair, ...], unmatched_a: tuple[str, ...],
                        unmatched_b: tuple[str, ...], a: NormalisedName, b: NormalisedName) -> str | None:
    """The one word two names share is an everyday English word (or two, one name running
    them together: ``_everyday_words_run_together``), and one of them adds what the party
    does, which the other does not say: "Target Corporation" / "Target Logistics Limited",
    "Pioneer Corporation" / "Pioneer Logistics", "Quantum Corporation" / "Russian Quantum
    Center". Many unrelated companies take such a word as their brand, so it alone does not
    make them one. A rarer word does ("Daryanavard Kish" / "Daryanavard Kish Shipping
    Company", an alias the SDN list gives), and so does an everyday word beside words of one
    line of business on both sides ("UM Air" / "UM Airlines") or beside words that describe
    no business (``vocabulary.UNDESCRIPTIVE_WORDS``: "Apex" / "APEX Systems"). The everyday
    words are wordfreq's (``vocabulary.everyday_words``)."""
    if len(pairs) != 1 or pairs[0].kind != "word" or pairs[0].similarity < 1.0:
        return None
    word = pairs[0].a
    if is_generic(word) or not (word in everyday_words() or _everyday_words_run_together(word, a, b)):
        return None
    for own, other in ((unmatched_a, unmatched_b), (unmatched_b, unmatched_a)):
        described = sorted(t for t in other if _describes(t))
        lines = {sector(t) for t in own} & {sector(t) for t in other} - {None}
        if described and all(map(is_generic, own)) and not lines:
            return (f"the only word in common ({word}) is an everyday word, and one name adds what the party "
                    f"does ({' '.join(described)})")
    return None


def _everyday_words_run_together(word: str, a: NormalisedName, b: NormalisedName) -> bool:
    """True when one name writes ``word`` as two everyday words, neither a business word nor
    a place, and the other runs them together: "Green Light" / "Greenlight Capital", "Black
    Stone Minerals" / "Blackstone". Not a brand both names write as one word ("Bitmain",
    "BitRiver", "CloudWalk"): that is a name of its own; nor "Iran Air" / "IranAir Cargo"."""
    everyday = everyday_words()
    for name in (a, b):
        # (the words split at capitals too hold every run of words as written: a cheap sieve)
        if not any(x + y == word for x, y in zip(name.spelled, name.spelled[1:])):
            continue
        written = written_words(name)
        for first, second in zip(written, written[1:]):
            if (first + second == word and first in everyday and second in everyday
                    and not is_generic(canonical(first)) and not is_generic(canonical(second))):
                return True
    return False


def _describes(token: str) -> bool:
    """A generic word that says what a party does ("logistics", "center"), not where it is
    or how it is organised ("group", "international")."""
    return is_generic(token) and not is_place(token) and token not in UNDESCRIPTIVE_WORDS


def _place_initial(letter: str, place: str) -> bool:
    """True if ``letter`` is the initial of ``place``, as Malaysian and Singaporean names write
    their country in brackets: "Noor Energy (M) Ltd" / "… (Malaysia) Ltd.", "(S) Pte Ltd"."""
    return len(letter) == 1 and place.startswith(letter) and is_place(place)


def _named_place(token: str) -> bool:
    """A place word that names a place: not a direction ("North", "Central"), which a
    name's aliases add and drop ("Central Bank of Russia" / "Bank of Russia")."""
    return is_place(token) and token not in DIRECTIONS


def _slip(a: str, b: str, typed: bool = True) -> bool:
    """True if one word is the other with one slip of the hand: a letter left out, added or
    swapped with its neighbour ("Sony" / "Sonny", "Bosch" / "Bosh", "Nvidia" / "Nvidai"), in
    words of four letters and more (a slip in three is another word); or, in words of five
    and more both ``typed`` in Latin letters, one letter struck for a key beside it, a vowel
    for another, "l" for "i" ("Equinor" / "Equinar", "Nokia" / "Nokla"). Another letter
    changed makes another name more often than a typo ("Intel" / "Inter", "Norinco" /
    "Norilco", "Alcoa" / "Alcon"), and a transliteration is not typed: "Новатэк" (Novatek)
    is no "Novatel"."""
    if min(len(a), len(b)) < 4 or OSA.distance(a, b) != 1:
        return False
    if len(a) != len(b) or sorted(a) == sorted(b):
        return True
    if len(a) < 5 or not typed:
        return False
    (x, y), = ((x, y) for x, y in zip(a, b) if x != y)
    return (x in _VOWEL_KEYS and y in _VOWEL_KEYS) or {x, y} == {"i", "l"} or y in _KEYS_AROUND[x]


def _typed(a: NormalisedName, b: NormalisedName) -> bool:
    """True if both names are written in one script: neither is the other's transliteration,
    whose letters were not typed on a Latin keyboard (``_slip``)."""
    return _non_latin(a.original) == _non_latin(b.original)


def _keys_around(rows: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """For each letter, the letters on the keys around it (same and adjacent rows, one key
    either side; the rows' stagger is ignored)."""
    around: dict[str, frozenset[str]] = {}
    for r, row in enumerate(rows):
        for c, key in enumerate(row):
            near = {rows[rr][cc] for rr in (r - 1, r, r + 1) if 0 <= rr < len(rows)
                    for cc in (c - 1, c, c + 1) if 0 <= cc < len(rows[rr])}
            around[key] = frozenset(near - {key})
    return around


_KEYS_AROUND = _keys_around(("qwertyuiop", "asdfghjkl", "zxcvbnm"))  # the Latin letters a name is typed on
_VOWEL_KEYS = frozenset("aeiouy")


def _transliterated_vowels(a: NormalisedName, b: NormalisedName, pair: TokenPair) -> bool:
    """True when one name is written in another script than the other and the word they
    share differs only in its vowels ("Роснано" / "Rusnano", "Росатом" / "Rasatom"): the
    vowels of a transliteration are the transliterator's guess (an unstressed Russian "о" is
    said, and often spelt, "a"), not the writer's spelling, so this is no sound-alike; nor
    is one letter that renders a Russian h-sound (``_RENDERED_H``)."""
    if _non_latin(a.original) == _non_latin(b.original):
        return False
    skeleton_a, skeleton_b = translit_skeleton(pair.a), translit_skeleton(pair.b)
    if len(skeleton_a) == len(skeleton_b):
        differ = [(x, y) for x, y in zip(skeleton_a, skeleton_b) if x != y]
        if len(differ) == 1 and frozenset(differ[0]) in _RENDERED_H:
            return True
    masked = vowel_skeleton(pair.a)
    return masked is not None and masked == vowel_skeleton(pair.b)


# Russian has no "h": "г" stands for a foreign h ("Гидро" / "Hydro") and "х" is rendered h,
# kh or, in brands, c or k ("Ростех" / "Rostec"); one such letter is a convention, not a
# spelling ("Новатэк" / "Novatel" differ by another letter and stay apart).
_RENDERED_H = frozenset({frozenset("gh"), frozenset("hk")})


def _non_latin(text: str) -> bool:
    """True if ``text`` has a letter of a script other than Latin (Cyrillic, Arabic, Han …)."""
    return any(c.isalpha() and ord(c) > LAST_LATIN for c in text)


LAST_LATIN = 0x024F  # end of Unicode's Latin Extended-B block


def acronym_alone(comparison: Comparison, second: bool = False) -> str | None:
    """The acronym a comparison rests on, when the first name given to ``compare_normalised``
    (the second with ``second``) is that one word and nothing else distinctive pairs ("TIAA" /
    "Taibah International Aid Agency": an acronym read as the initials of the other name's
    words)."""
    name = comparison.b if comparison.swapped != second else comparison.a
    if len(name.tokens) != 1:
        return None
    word = name.tokens[0]
    if any(p.kind != "acronym" and not _generic_pair(p) for p in comparison.pairs):
        return None
    if any(p.kind == "acronym" and word in (p.a, p.b) for p in comparison.pairs):
        return word
    return None


def slip_alone(comparison: Comparison) -> bool:
    """True when a comparison rests on one word matched only as a slip of the hand (a letter
    left out, added, swapped or struck for a key beside it: ``_slip``) that a near-exact
    match would not give: "Kraken" / "Krakern"."""
    pairs = comparison.pairs
    return (len(pairs) == 1 and pairs[0].kind == "word" and pairs[0].similarity < BARE_WORD_MIN
            and _slip(pairs[0].a, pairs[0].b, _typed(comparison.a, comparison.b)))


def _branch_places(name: NormalisedName) -> tuple[str, ...]:
    """The places of a name's branch phrase ("Tanzania Branch": normalize._branch_phrase)."""
    if "branch" not in name.qualifiers:
        return ()
    return tuple(q for q in name.qualifiers if is_place(q))


def compare_names(a: str, b: str) -> float:
    """Similarity of two names in [0, 1]; ``DEFAULT_THRESHOLD`` and above is a match.

    Symmetric; identical non-empty names score 1.0; a name with nothing comparable after
    normalisation (empty, punctuation only) scores 0.0 against anything.
    """
    return compare_normalised(normalise_name(a), normalise_name(b)).score


def explain_names(a: str, b: str) -> dict[str, Any]:
    """``compare_names`` with the parts of its score (normalised forms, token pairs,
    rapidfuzz whole-string scores, penalties, a reason). Keys ``a_*`` refer to ``a``."""
    return compare_normalised(normalise_name(a), normalise_name(b)).explanation()
