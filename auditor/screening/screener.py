"""Screen names against list entries, fast enough for a fleet audit.

`Screener` is built once from `ListEntry`s. Every listed name and alias is normalised once
and indexed by its tokens; a query only scores the names that could reach a match:

* names sharing a *distinctive* token with the query, where "sharing" includes spelling
  variants: tokens are also indexed under their one-character deletions and their
  transliteration skeleton (a symmetric-deletion index: two tokens one edit apart, or one
  substitution apart, share a key), and under the joins of adjacent tokens ("hua wei" /
  "huawei");
* names made only of generic words whose words all appear in the query, and for a query
  made only of generic words the names containing all its words (the only ways past the
  generic-only guard, see ``match.py``);
* names whose words as written run together spell a query word ("Acme AG" / "AcmeAG"),
  or whose query words run together spell a listed word;
* acronyms: names whose initials (of a run of their words, with or without their legal
  form) spell a query word ("TSMC"), and names that are the query's acronym;
* a query word that looks like a generic word ("Chna" / "China") is bounded like one and
  looks up names made of generic words as that word.

Each name reached is first bounded: the most it can score given which of its words, and
which of the query's, can pair at all (a word that pairs with nothing stays in the
denominator). Only names whose bound reaches the threshold are compared.

Every candidate is then scored with exactly the comparison behind `compare_names`, so a
screening hit and `compare_names` agree on the score.

The index is plain data (`to_state` / `from_state`: strings, tuples, dicts and packed integer
arrays), so it can be stored once per list version and loaded in a fraction of the time it
takes to build (``index_store.py``); entries and normalised names are rebuilt only for the
candidates a query reaches.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import re
from array import array
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import chain, combinations
from typing import Any, Callable, Collection, Container, Iterable, Iterator

from auditor.model import BUNDLED_ID_PREFIX, ListEntry
from auditor.screening.match import (
    ACRONYM_MAX_LENGTH,
    ACRONYM_MIN_LENGTH,
    ACRONYM_MIN_WORDS,
    CONTRACTED_MAX_LENGTH,
    DEFAULT_THRESHOLD,
    LAST_LATIN,
    SHORTENED_MIN_LENGTH,
    SHORTENED_SIMILARITY,
    VETO_CAP,
    Comparison,
    acronym_alone,
    acronyms,
    compare_normalised,
    shortened_similarity,
    slip_alone,
    written_run_acronyms,
)
from auditor.screening.normalize import (
    DISTINCTIVE_WEIGHT,
    GENERIC_WEIGHT,
    NormalisedName,
    canonical,
    country_name,
    is_generic,
    is_place,
    names_no_party,
    normalise_name,
    token_weight,
)
from auditor.screening.tokens import (
    abjad_either,
    abjad_key,
    adjective_stem,
    consonant_key,
    is_abjad,
    q_for_gh,
    token_similarity,
    translit_skeleton,
    vowel_skeleton,
)
from auditor.screening.vocabulary import DIRECTIONS, GENERIC_WORDS, PLACES_IN, SYNONYMS

# Queries with more generic words than this look up all-generic names by their rarest
# words only (2**12 subsets is the most we enumerate).
_MAX_GENERIC_SUBSET_WORDS = 12
# Version of the state layout (to_state / from_state); index_store also keys on the code.
STATE_FORMAT = 3
_GENERIC_KEY_SEP = "\x1f"
# Float sums of bounds are compared with this much room, so rounding never drops a candidate.
_BOUND_MARGIN = 1e-9
# Indexed words are known by their first letters too (``Screener._word_heads``): a run of a
# query's words or of their initials is spelled out only when it starts like one of them.
_HEAD_LENGTH = ACRONYM_MIN_LENGTH
# A query word's records are kept for later queries when it reaches at least this many
# (``Screener._word_reach``).
_REACH_CACHE_MIN = 32
_REACH_CACHE_RECORDS = 1 << 19  # about 35 MB
# At most this many sets of generic words are kept (``Screener._generic_names_in``).
_GENERIC_NAMES_CACHE_SIZE = 1 << 16


@dataclass(frozen=True)
class Match:
    """One listed entry a screened name matched, with the evidence."""

    list_name: str
    entity_id: str
    name: str  # the entry's primary listed name
    matched_name: str  # the listed name or alias that matched best
    score: float
    explanation: dict[str, Any] = field(compare=False)
    source: str = ""
    legal_effect: str = ""
    entry: ListEntry | None = field(default=None, compare=False, repr=False)

    def __reduce__(self) -> tuple[type[Match], tuple[Any, ...]]:
        # Pickled by its fields, as screen_many's worker sends matches: a frozen class
        # compiled by mypyc cannot be unpickled attribute by attribute.
        return (Match, (self.list_name, self.entity_id, self.name, self.matched_name, self.score, self.explanation,
                        self.source, self.legal_effect, self.entry))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `auditor screen --json` (entry details left out)."""
        return {
            "list": self.list_name,
            "entity_id": self.entity_id,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "explanation": self.explanation,
            "source": self.source,
            "legal_effect": self.legal_effect,
        }


def _deletion_keys(token: str) -> list[str]:
    if len(token) < 5:  # shorter tokens pair only when equal or equal in skeleton
        return [token]
    return [token, *(token[:i] + token[i + 1 :] for i in range(len(token)))]


def _middle_signature(key: str) -> str:
    """First two letters, last two and length: shared by every one-letter deletion of a
    longer token between its third letter and its last but two (see ``_join_keys``)."""
    return key[:2] + key[-2:] + str(len(key))


def _join_keys(token: str, middles: Container[str]) -> list[str]:
    """``_deletion_keys(token)``, less the deletions of its middle letters when
    ``middles`` (the ``_middle_signature`` of every indexed key) shows that none of them
    is indexed: all of them keep the token's first two and last two letters and are one
    letter shorter, so one look-up rules out most of the keys of a long run of words."""
    n = len(token)
    if n < 5:
        return [token]
    if token[:2] + token[-2:] + str(n - 1) in middles:
        return _deletion_keys(token)
    return [token, token[1:], token[0] + token[2:], token[: n - 2] + token[n - 1], token[: n - 1]]


def _lookup_keys(token: str) -> list[str]:
    """Keys under which a token is indexed and looked up (see module docstring); a list,
    repeats included, because it is made for every query word and join."""
    if is_abjad(token):  # transliterated from Arabic script: its consonants find Latin words
        either = abjad_either().get(token)  # and a word the lists also translate ("MLY": national)
        return [*_lookup_keys(token.casefold()), _ABJAD_KEY + abjad_key(token), *(_lookup_keys(either) if either else ())]
    keys = [token, "~" + translit_skeleton(token)]
    if token.startswith("gh") and len(token) >= 4:  # Persian "ق" as "gh" and "q" (tokens.q_for_gh)
        keys.append("~" + translit_skeleton(q_for_gh(token)))
    vowels = vowel_skeleton(token)
    if vowels is not None:  # "Mohammad" / "Muhammad": tokens.token_similarity pairs them
        keys.append("*" + vowels)
    if len(token) >= 5:  # shorter tokens pair only when equal or equal in skeleton
        keys += [token[:i] + token[i + 1 :] for i in range(len(token))]  # one letter deleted
    if token.startswith("al") and len(token) >= 6:  # joined Arabic article
        keys += _lookup_keys(token[2:])
    stem = adjective_stem(token)
    if stem is not None:  # one Russian "-sk-" adjective in two endings: "Kasperskogo" / "Kaspersky"
        keys.append("^" + stem)
    return keys


def _index_keys(token: str) -> list[str]:
    """``_lookup_keys`` of an indexed word, and the key of its consonants, under which a word
    transliterated from Arabic script finds it (``tokens.ABJAD_SIMILARITY``)."""
    consonants = abjad_key(token) if is_abjad(token) else consonant_key(token)
    return _lookup_keys(token) + [_ABJAD_KEY + consonants] if len(consonants) >= 2 else _lookup_keys(token)


_ABJAD_KEY = "'"


@lru_cache(maxsize=None)
def _generic_forms() -> tuple[dict[str, frozenset[str]], dict[str, tuple[tuple[str, str], ...]]]:
    """The generic words as names write them (the word, its variants, its plural) for
    ``_shortened_generic``: (every start of such a form, at least two letters shorter →
    the generic words it starts), (first and last letters → (form, generic word))."""
    forms: dict[str, str] = {}
    for word in GENERIC_WORDS:
        forms.setdefault(word, word)
        for plural in (word + "s", word + "es", word[:-1] + "ies"):
            forms.setdefault(plural, word)
    for variant, word in SYNONYMS.items():
        if word in GENERIC_WORDS:
            forms.setdefault(variant, word)
    starts: dict[str, set[str]] = defaultdict(set)
    ends: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for form, word in forms.items():
        if not form.isalpha():
            continue
        for k in range(SHORTENED_MIN_LENGTH, len(form) - 1):
            starts[form[:k]].add(word)
        ends[form[0] + form[-1]].append((form, word))
    return {k: frozenset(v) for k, v in starts.items()}, {k: tuple(v) for k, v in ends.items()}


@lru_cache(maxsize=1 << 14)
def _shortened_generic(token: str) -> tuple[str, ...]:
    """The generic words a (distinctive) word shortens as written in some name ("info":
    information, "inds": industry, as "Industries")."""
    if len(token) < SHORTENED_MIN_LENGTH or not token.isalpha():
        return ()
    starts, ends = _generic_forms()
    found = set(starts.get(token, ()))
    if len(token) <= CONTRACTED_MAX_LENGTH:
        found.update(word for form, word in ends.get(token[0] + token[-1], ()) if shortened_similarity(token, form))
    return tuple(sorted(found))


def _joins(tokens: tuple[str, ...], sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    return ["".join(tokens[i : i + n]) for n in sizes for i in range(len(tokens) - n + 1)]


@lru_cache(maxsize=None)
def _generic_keys() -> dict[str, tuple[str, ...]]:
    keys: dict[str, list[str]] = defaultdict(list)
    for word in sorted(GENERIC_WORDS):
        for key in set(_index_keys(word)):
            keys[key].append(word)
    return {k: tuple(v) for k, v in keys.items()}


def _joins_with_runs(tokens: tuple[str, ...], sizes: tuple[int, ...] = (2, 3)) -> list[tuple[tuple[str, ...], str]]:
    return [(tokens[i : i + n], "".join(tokens[i : i + n])) for n in sizes for i in range(len(tokens) - n + 1)]


def _spelled_joins(norm: NormalisedName) -> set[str]:
    """Runs of the words as written (legal forms and stopwords included) run together."""
    return {j for _, j in _spelled_joins_with_runs(norm)}


def _spelled_joins_with_runs(norm: NormalisedName) -> list[tuple[tuple[str, ...], str]]:
    token_joins = set(_joins(norm.tokens))
    return [(run, j) for run, j in _joins_with_runs(norm.spelled, (2, 3, 4)) if len(j) >= 5 and j not in token_joins]


def _run_acronyms(norm: NormalisedName, heads: Container[str] | None = None) -> set[str]:
    """Acronyms of the name and of each run of its words: ``match.acronyms`` of the whole
    name, of every run of at least ``ACRONYM_MIN_WORDS`` of its words, with the initials of
    its legal form when the run ends the name, and of its runs of words as written where they
    spell others (``match.written_run_acronyms``). A run's acronyms are its words' initials
    and some of those legal initials, so they are cut from one list of initials here rather
    than asked of ``acronyms`` run by run (a call, a set and a filter per run, for every
    query and every listed name); ``test_screening_index_exact`` checks that this gives
    exactly what ``acronyms`` gives.

    With ``heads`` (the first four letters of every word a query's acronyms are looked up
    among, all of a shorter one: ``Screener._word_heads``), only the acronyms that start
    like one of them: the acronyms of the runs from one word on all start with the first four
    of the initials from there on, or of those and the legal initials (an acronym has at least
    ``_HEAD_LENGTH`` letters, the whole name's aside, which are filtered one by one), so most
    runs are never spelled out."""
    written = written_run_acronyms(norm)  # of its runs of words as written, where they differ
    if heads is not None:
        written = {x for x in written if x[:_HEAD_LENGTH] in heads}
    tokens = norm.core_tokens[:12]
    if len(tokens) < ACRONYM_MIN_WORDS:
        return written  # no run of that many words, and ``acronyms`` has none either
    initials = [token[:1] for token in tokens]  # as ``match._initials``: nothing for an empty word
    legal = norm.legal_initials
    found: set[str] = set()
    for start in range(len(tokens) - ACRONYM_MIN_WORDS + 1):
        if heads is not None:
            rest = "".join(initials[start:])
            if rest[:_HEAD_LENGTH] not in heads and (rest + legal)[:_HEAD_LENGTH] not in heads:
                continue
        for end in range(start + ACRONYM_MIN_WORDS, len(tokens) + 1):
            letters = "".join(initials[start:end])
            if end == len(tokens):
                found.update(letters + legal[:k] for k in range(len(legal) + 1))
            else:
                found.add(letters)
    found = {x for x in found if ACRONYM_MIN_LENGTH <= len(x) <= ACRONYM_MAX_LENGTH}
    found |= acronyms(tokens, norm.legal_initials, norm.spelled)  # the whole name's, as they are
    found = found if heads is None else {x for x in found if x[:_HEAD_LENGTH] in heads}
    return found | written


def _written_runs(spelled: tuple[str, ...], heads: Container[str] | None = None) -> set[str]:
    """Runs of 2–4 adjacent words as written, run together ("acme ag" → "acmeag"); with
    ``heads`` (``Screener._word_heads``), only the runs that start like an indexed word: all
    runs from one word on start like its first two words run together."""
    runs: set[str] = set()
    for start in range(len(spelled) - 1):
        run = spelled[start : start + 4]
        first = run[0] + run[1]
        if heads is not None and len(first) >= _HEAD_LENGTH and first[:_HEAD_LENGTH] not in heads:
            continue
        runs.update("".join(run[:size]) for size in range(2, len(run) + 1))
    return runs


def _legal_acronyms(norm: NormalisedName) -> set[str]:
    """Three-letter words with the initials of the name's legal form ("ZTE Corp" -> "ztec"):
    how a three-letter acronym is compared (``match._recover_acronym``)."""
    if not norm.legal_initials:
        return set()
    return {t + norm.legal_initials for t in norm.tokens if len(t) == ACRONYM_MIN_LENGTH - 1 and t.isalpha()}


@contextmanager
def without_gc() -> Iterator[None]:
    """No cyclic garbage collection while the index is built or read: it creates hundreds
    of thousands of tuples and strings, none of them garbage, and every collection would
    scan them all again (a fifth of the build, half of reading a stored index)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pack(ids: Iterable[int]) -> bytes:
    return array("i", ids).tobytes()


_NO_IDS: array[int] = array("i")  # what most look-ups find; never changed by a caller


def _unpack(blob: bytes | None) -> array[int]:
    if not blob:
        return _NO_IDS
    ids = array("i")
    ids.frombytes(blob)
    return ids


def _entry_row(e: ListEntry) -> tuple[Any, ...]:
    return (e.list_name, e.entity_id, e.name, e.aliases, e.entity_type, e.country, e.programs,
            e.start.isoformat() if e.start else None, e.end.isoformat() if e.end else None,
            e.source, e.legal_effect, e.addresses, e.remarks)


def _entry_from_row(row: tuple[Any, ...]) -> ListEntry:
    (list_name, entity_id, name, aliases, entity_type, country, programs, start, end,
     source, legal_effect, addresses, remarks) = row
    return ListEntry(list_name, entity_id, name, tuple(aliases), entity_type, country, tuple(programs),
                     date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None,
                     source, legal_effect, tuple(addresses), remarks)


def _norm_row(norm: NormalisedName) -> tuple[Any, ...]:
    return (norm.original, norm.tokens, norm.legal_forms, norm.qualifiers, norm.bracketed,
            norm.spelled, norm.legal_initials, norm.annotations)


# Each distinct normalised name of an entry, as the parts the index is made of:
# (normalised row, weight, distinctive words, runs of words joined, acronyms of runs,
#  three-letter-and-legal-form acronyms, key if made only of generic words, generic words).
_NameParts = tuple[tuple[Any, ...], float, list[str], list[str], list[str], list[str], "str | None", list[str]]
# Parts of a share of the entries: [(entry index, its names' parts)], the lookup keys of their
# distinctive words with the words under each (sorted), and the middle signatures of those keys.
_Share = tuple[list[tuple[int, list[_NameParts]]], dict[str, list[str]], set[str]]
# Above this many entries the index is built on two CPUs (``_all_name_parts``).
PARALLEL_MIN_ENTRIES = 4000
# The share of the entries the building process normalises itself (the forked worker does
# the rest): measured best with the shared lists (``benchmarks/screening_speed.py``).
_PARENT_SHARE = 0.47


def _name_parts(first_index: int, names: list[tuple[str, ...]]) -> _Share:
    """The parts of the index that each entry's names (listed name first, then aliases)
    give on their own: normalising them is most of the build, and needs nothing else."""
    entries: list[tuple[int, list[_NameParts]]] = []
    lookup_keys: dict[str, list[str]] = {}
    for index, listed_names in enumerate(names, start=first_index):
        seen: set[tuple[Any, ...]] = set()
        parts: list[_NameParts] = []
        for listed in listed_names:
            norm = normalise_name(listed)
            if norm.is_empty or norm.key in seen:
                continue
            seen.add(norm.key)
            tokens = norm.tokens
            distinctive = [t for t in set(tokens + norm.qualifiers) if not is_generic(t)]
            for token in distinctive:
                if token not in lookup_keys:
                    lookup_keys[token] = list(set(_index_keys(token)))
            parts.append((
                _norm_row(norm),
                sum(map(token_weight, tokens), 0.0),
                distinctive,
                list(set(_joins(tokens)) | _spelled_joins(norm)),
                list(_run_acronyms(norm)),
                list(_legal_acronyms(norm)),
                _GENERIC_KEY_SEP.join(sorted(set(tokens))) if all(map(is_generic, tokens)) else None,
                sorted({t for t in tokens if is_generic(t)}),
            ))
        entries.append((index, parts))
    # Inverted here, in the share, rather than once over the whole index after both shares
    # are in: that would be a tenth of the build done on one CPU.
    token_keys: dict[str, list[str]] = defaultdict(list)
    for token in sorted(lookup_keys):
        for key in lookup_keys[token]:
            token_keys[key].append(token)
    signatures = {_middle_signature(k) for k in token_keys if len(k) >= 4}
    return entries, dict(token_keys), signatures


# The second half of the names a forked build worker reads (set just before it forks).
_FORKED_NAMES: tuple[int, list[tuple[str, ...]]] | None = None


def _warm_up(names: Iterable[str] | None = None) -> None:
    """What every process that screens or builds starts by making, made once before forking
    workers: they inherit it instead of each making it again (the org-type tables behind
    ``normalise_name`` and the generic words' keys take a few tens of ms on first use).
    The Han-to-pinyin transliterator takes 0.1 s to set up: it is made only when ``names``
    (None: any name) have a letter outside ASCII, since a batch of Latin names never uses it
    and this is time before the workers start."""
    normalise_name("Acme (Shenzhen) Co., Ltd.")
    if names is None or not all(map(str.isascii, names)):
        normalise_name("华为 Битривер")
    _generic_keys()


def _name_parts_forked() -> bytes:
    assert _FORKED_NAMES is not None, "set by _all_name_parts before it forks"
    return marshal.dumps(_name_parts(*_FORKED_NAMES))  # plain data: marshal is the quick way over


def _all_name_parts(names: list[tuple[str, ...]]) -> Iterator[_Share]:
    """``_name_parts`` of every entry, in entry order, one share at a time: a big list is
    split in two, a forked worker does the second share while this process does the first
    (the worker inherits the names; its parts come back as one marshal string).

    The first share is handed over as soon as it is made, so the caller adds it to the
    index while the worker still works; this process then has that, the warm-up and the
    second share's unmarshalling to do besides its share, so its share is the smaller one
    (``_PARENT_SHARE``) and both finish about together."""
    global _FORKED_NAMES
    if len(names) < PARALLEL_MIN_ENTRIES or _worker_count() < 2:
        yield _name_parts(0, names)
        return
    split = int(len(names) * _PARENT_SHARE)
    _FORKED_NAMES = (split, names[split:])
    _warm_up()
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            second = pool.apply_async(_name_parts_forked)
            yield _name_parts(0, names[:split])
            yield marshal.loads(second.get())
    finally:
        _FORKED_NAMES = None


class Screener:
    """Screens names against a fixed set of list entries.

    >>> screener = Screener(entries)
    >>> screener.screen("Sophgo Technologies Co., Ltd", date(2025, 6, 1))
    """

    def __init__(self, entries: Iterable[ListEntry], state: dict[str, Any] | None = None):
        """The index of ``entries``, or the one ``state`` (``to_state``) holds."""
        if state is not None:
            self._restore(state)
            return
        with without_gc():
            self._build(entries)

    def _build(self, entries: Iterable[ListEntry]) -> None:
        # A stable order makes every tie-break, and so every result, deterministic.
        ordered = sorted(entries, key=lambda e: (e.list_name, e.entity_id, e.name))
        self._entry_rows: list[tuple[Any, ...]] = [_entry_row(e) for e in ordered]
        self._entry_cache: dict[int, ListEntry] = dict(enumerate(ordered))
        records: list[tuple[Any, ...]] = []  # (entry index, normalised name as a row)
        weights: list[float] = []  # total weight of each record's main tokens
        postings: dict[str, list[int]] = defaultdict(list)  # distinctive token -> records
        join_postings: dict[str, list[int]] = defaultdict(list)  # "hua wei" -> "huawei"
        generic_names: dict[str, list[int]] = defaultdict(list)  # all-generic names by word set
        generic_postings: dict[str, list[int]] = defaultdict(list)  # generic word -> records
        acronym_postings: dict[str, list[int]] = defaultdict(list)  # "tsmc" -> records
        # A three-letter word and the initials of its legal form: "ZTE Corp" -> "ztec"
        legal_acronyms: dict[str, list[int]] = defaultdict(list)
        token_keys: dict[str, list[str]] = {}  # lookup key -> distinctive tokens, sorted
        middle_signatures: set[str] = set()
        for entry_parts, share_keys, signatures in _all_name_parts([(e.name, *e.aliases) for e in ordered]):
            if not token_keys:
                token_keys = share_keys
            else:
                for key, tokens in share_keys.items():
                    known = token_keys.get(key)
                    token_keys[key] = tokens if known is None else sorted({*known, *tokens})
            middle_signatures |= signatures
            for index, parts in entry_parts:
                for row, weight, distinctive, joins, run_acronyms, legal, generic_key, generic in parts:
                    record_id = len(records)
                    records.append((index, row))
                    weights.append(weight)
                    for token in distinctive:
                        postings[token].append(record_id)
                    for token in joins:
                        join_postings[token].append(record_id)
                    for acronym in run_acronyms:
                        acronym_postings[acronym].append(record_id)
                    for acronym in legal:
                        legal_acronyms[acronym].append(record_id)
                    if generic_key is not None:
                        generic_names[generic_key].append(record_id)
                    for token in generic:
                        generic_postings[token].append(record_id)
        self._records = records
        self._weights = array("d", weights)
        self._postings = {k: _pack(v) for k, v in postings.items()}
        self._join_postings = {k: _pack(v) for k, v in join_postings.items()}
        self._acronym_postings = {k: _pack(v) for k, v in acronym_postings.items()}
        self._legal_acronyms = {k: _pack(v) for k, v in legal_acronyms.items()}
        self._generic_names = {k: _pack(v) for k, v in generic_names.items()}
        self._generic_postings = {k: _pack(v) for k, v in generic_postings.items()}
        self._token_keys = {k: " ".join(v) for k, v in token_keys.items()}
        self._middle_signatures = frozenset(middle_signatures)
        self._word_heads = self._heads_of_words()
        self._norm_cache: dict[int, NormalisedName] = {}
        self._similar_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._reach_cache: dict[str, tuple[dict[int, float], tuple[tuple[str, array[int]], ...]]] = {}
        self._reach_cached = 0  # records in _reach_cache
        self._generic_names_cache: dict[tuple[Any, ...], frozenset[int]] = {}
        self._located_cache: dict[int, frozenset[str]] = {}

    # -- stored form -------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """The index as plain data (marshal-able), for ``index_store``."""
        return {
            "format": STATE_FORMAT,
            "entries": self._entry_rows,
            "records": self._records,
            "weights": self._weights.tobytes(),
            "postings": self._postings,
            "join_postings": self._join_postings,
            "acronym_postings": self._acronym_postings,
            "legal_acronyms": self._legal_acronyms,
            "generic_names": self._generic_names,
            "generic_postings": self._generic_postings,
            "token_keys": self._token_keys,
            # A tuple: marshal writes a frozenset this big fifty times slower. In the set's
            # own order, not sorted (a fifth of storing the index): the file is a cache, not
            # the same bytes from one build to the next (the order of the token keys already
            # follows the string hash seed), and it reads back as the same set.
            "middle_signatures": tuple(self._middle_signatures),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Screener":
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"screening index format {state.get('format')!r}, expected {STATE_FORMAT}")
        return cls((), state)

    def _restore(self, state: dict[str, Any]) -> None:
        self._entry_rows = state["entries"]
        self._entry_cache = {}
        self._records = state["records"]
        self._weights = array("d")
        self._weights.frombytes(state["weights"])
        self._postings = state["postings"]
        self._join_postings = state["join_postings"]
        self._acronym_postings = state["acronym_postings"]
        self._legal_acronyms = state["legal_acronyms"]
        self._generic_names = state["generic_names"]
        self._generic_postings = state["generic_postings"]
        self._token_keys = state["token_keys"]
        self._middle_signatures = frozenset(state["middle_signatures"])
        self._word_heads = self._heads_of_words()
        self._norm_cache = {}
        self._similar_cache = {}
        self._reach_cache = {}
        self._reach_cached = 0
        self._generic_names_cache = {}
        self._located_cache = {}

    def _heads_of_words(self) -> frozenset[str]:
        """The first four letters (or all of a shorter word) of every indexed word a query's
        acronyms and its words as written run together are looked up among: ``_run_acronyms``
        and ``_candidates`` spell out only those that start so."""
        return frozenset(word[:_HEAD_LENGTH] for keys in (self._postings, self._legal_acronyms) for word in keys)

    # -- lazily rebuilt objects --------------------------------------------------------
    def _entry(self, index: int) -> ListEntry:
        entry = self._entry_cache.get(index)
        if entry is None:
            entry = self._entry_cache[index] = _entry_from_row(self._entry_rows[index])
        return entry

    def _norm(self, record_id: int) -> NormalisedName:
        norm = self._norm_cache.get(record_id)
        if norm is None:
            original, tokens, legal, qualifiers, bracketed, spelled, legal_initials, annotations = (
                self._records[record_id][1])
            norm = NormalisedName(original, tuple(tokens), tuple(legal), tuple(qualifiers), tuple(bracketed),
                                  tuple(spelled), legal_initials, tuple(annotations))
            self._norm_cache[record_id] = norm
        return norm

    def _located(self, index: int) -> frozenset[str]:
        located = self._located_cache.get(index)
        if located is None:
            located = self._located_cache[index] = located_places(self._entry(index))
        return located

    @property
    def entries(self) -> tuple[ListEntry, ...]:
        return tuple(self._entry(i) for i in range(len(self._entry_rows)))

    def __len__(self) -> int:
        return len(self._records)

    def list_names(self) -> set[str]:
        """Names of the lists that have at least one entry in the index."""
        return {row[0] for row in self._entry_rows}

    def entry_keys(self) -> set[tuple[str, str]]:
        """(list name, entity id) of every entry in the index."""
        return {(row[0], row[1]) for row in self._entry_rows}

    # -- screening ---------------------------------------------------------------------
    def _similar_joined(self, token: str, keys: list[str]) -> tuple[str, ...]:
        """Indexed words that a query's words run together (``token``, its ``_join_keys``
        ``keys``) may spell: as ``_similar_tokens`` but without the transliteration skeleton
        (a run of words differs from one word by a letter or two, not by a romanisation) and
        without generic words."""
        hits = self._token_keys.keys() & keys  # dict_keys & list: the membership tests run in C
        if not hits:
            return ()
        found = {t for key in hits for t in self._token_keys[key].split(" ")}
        return tuple(sorted(t for t in found if token_similarity(token, t) > 0))

    def _similar_tokens(self, token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Indexed tokens that pair with ``token`` (token_similarity > 0), and generic words
        that do ("chna" / "china": generic words are not indexed, see ``_candidates``)."""
        cached = self._similar_cache.get(token)
        if cached is None:
            keys = _lookup_keys(token)
            found = {t for key in self._token_keys.keys() & keys for t in self._token_keys[key].split(" ")}
            # Words run together are found as written only: there are many of them, and a
            # misspelt join is rare.
            found.update(self._join_postings.keys() & keys)
            generic_keys = _generic_keys()
            generic = {w for key in generic_keys.keys() & keys for w in generic_keys[key]}
            cached = (tuple(sorted(t for t in found if token_similarity(token, t) > 0)),
                      tuple(sorted(t for t in generic if token_similarity(token, t) > 0)))
            self._similar_cache[token] = cached
        return cached

    def _word_reach(self, token: str) -> tuple[dict[int, float], tuple[tuple[str, array[int]], ...]]:
        """The records a distinctive query word reaches through the indexed words it pairs
        with, each at the best similarity of those words it has, and which of those words are
        listed words run together, with their records.

        Kept per word, like ``_similar_tokens``: queries share words (a batch of vendor names
        repeats about half of its distinctive words), and a common word reaches thousands of
        records, gathered again for every query that has it. Only words that reach many
        records are kept, and no more than ``_REACH_CACHE_RECORDS`` records in all (20,000
        names keep about 60,000), so the cache stays small however many names are screened."""
        cached = self._reach_cache.get(token)
        if cached is not None:
            return cached
        # Set from the least similar word to the most, so the last value set is the best
        # (dict updates run in C).
        reached: dict[int, float] = {}
        listed_runs = []
        for sim, similar in sorted((token_similarity(token, similar), similar)
                                   for similar in self._similar_tokens(token)[0]):
            reached.update(dict.fromkeys(_unpack(self._postings.get(similar)), sim))
            runs = self._join_postings.get(similar)
            if runs:
                listed_runs.append((similar, _unpack(runs)))
        found = (reached, tuple(listed_runs))
        if len(reached) >= _REACH_CACHE_MIN and self._reach_cached + len(reached) <= _REACH_CACHE_RECORDS:
            self._reach_cache[token] = found
            self._reach_cached += len(reached)
        return found

    def _candidates(self, query: NormalisedName, threshold: float) -> set[int]:
        """Records that may score ``threshold`` or more against ``query``."""
        # record -> Σ over the query's distinctive words that reach it of their best similarity
        reached_by: dict[int, float] = defaultdict(float)
        # Records reached through words run together or acronyms, with what may explain their
        # words: the query words taking part in a join, and the joined spellings.
        joined: dict[int, set[str]] = defaultdict(set)
        spellings: set[str] = set()  # indexed joined spellings a query word or run pairs with
        acronym_of: dict[int, set[str]] = defaultdict(set)  # record -> query words that are its acronym
        acronym_in: dict[int, set[str]] = defaultdict(set)  # record -> its words that are the query's acronym
        words = query.tokens + query.qualifiers
        for token in sorted({t for t in words if not is_generic(t)}):
            # Each record at the best similarity of the indexed words it has (the order of
            # the records is never used).
            reached, listed_runs = self._word_reach(token)
            for similar, records in listed_runs:
                spellings.add(similar)
                for record_id in records:
                    joined[record_id].add(token)
            occurrences = words.count(token)  # "Issa Issa Osman": each "issa" pairs
            if not reached_by and occurrences == 1:
                reached_by.update(reached)  # the sums start at 0.0: each is that similarity
                continue
            for record_id, sim in reached.items():
                reached_by[record_id] += sim * occurrences
        token_runs = _joins_with_runs(query.tokens)
        run_keys = [_join_keys(token, self._middle_signatures) for _, token in token_runs]
        # Almost no run spells an indexed word: all runs' keys are looked up at once (in C),
        # and each run on its own only when one of them is indexed.
        if not self._token_keys.keys().isdisjoint(chain.from_iterable(run_keys)):
            for (run, token), keys in zip(token_runs, run_keys):
                for similar in self._similar_joined(token, keys):
                    spellings.add(similar)
                    for record_id in _unpack(self._postings.get(similar)):
                        joined[record_id].update(run)
        # The words as written run together (``_spelled_joins_with_runs``), looked up first
        # (all at once: one set intersection, in C) and filtered only when indexed: almost
        # none are. The query's words and acronyms below are looked up the same way.
        spelled = query.spelled
        listed = self._postings.keys() & _written_runs(spelled, self._word_heads)
        if listed:
            token_joins = {token for _, token in token_runs}
            for run, token in _joins_with_runs(spelled, (2, 3, 4)):
                if token in listed and len(token) >= 5 and token not in token_joins:
                    spellings.add(token)
                    for record_id in _unpack(self._postings[token]):
                        joined[record_id].update(run)
        for token in self._acronym_postings.keys() & set(words):
            for record_id in _unpack(self._acronym_postings[token]):
                acronym_of[record_id].add(token)
        for acronym in self._acronym_postings.keys() & _legal_acronyms(query):
            for record_id in _unpack(self._acronym_postings[acronym]):
                acronym_of[record_id].add(acronym[:-len(query.legal_initials)])
        run_acronyms = _run_acronyms(query, self._word_heads)
        for token in self._postings.keys() & run_acronyms:
            for record_id in _unpack(self._postings[token]):
                acronym_in[record_id].add(token)
        for token in self._legal_acronyms.keys() & run_acronyms:
            for record_id in _unpack(self._legal_acronyms[token]):
                acronym_in[record_id].update(t for t in self._records[record_id][1][1] if token.startswith(t))
        # Score bound for a name reached through distinctive query words of best similarities
        # s1…sk: each such pair scores at most 2 si (two distinctive words), each of the g
        # generic query words pairs for at most GENERIC_WEIGHT + 1, and every word of both
        # names counts in the denominator, so
        # score <= (2 Σ si + (GENERIC_WEIGHT + 1) g) / (query + name weights).
        # A distinctive query word that looks like a generic word ("Chna" / "China") may pair
        # with it, which no posting shows: it is bounded like a generic word, and names made
        # of generic words are looked up with the word it looks like.
        # Pairs are one to one, so the distinctive pairs also score at most 2 Σ over the
        # listed name's distinctive words of their best similarity to a query word: lower
        # when the query repeats a word the name has once ("Khalil Muhammad Khalil" /
        # "Khalil Construction") or two query words pair best with one listed word. That is
        # checked last, for the names the first bound lets through, and only for a query
        # with more than one distinctive word.
        query_distinctive = [t for t in words if not is_generic(t)]
        several = len(query_distinctive) > 1
        query_weight = sum(map(token_weight, query.tokens), 0.0)
        # and the generic words it shortens ("Info" / "Information"): both pair like generic words
        lookalikes = {t: self._similar_tokens(t)[1] + _shortened_generic(t) for t in query.tokens if not is_generic(t)}
        generic = sorted({t for t in query.tokens if is_generic(t)})
        generic_names_words = sorted(set(generic).union(*lookalikes.values()))
        generic_tokens = [t for t in query.tokens if is_generic(t) or lookalikes.get(t)]
        generic_pairs = (GENERIC_WEIGHT + DISTINCTIVE_WEIGHT) * len(generic_tokens)
        # The query's words as written that a generic word of it stands for ("industries").
        written = query.written_by_token
        found: set[int] = set()
        weights = self._weights
        bounded_below = {*joined, *acronym_of, *acronym_in}  # joins and acronyms change the weights
        for record_id, sims in reached_by.items():
            need = threshold * (query_weight + weights[record_id]) - 2 * DISTINCTIVE_WEIGHT * sims
            if generic_pairs < need or record_id in bounded_below:
                # below the threshold even if every generic query word paired with a
                # distinctive word, or bounded with its joins and acronyms below
                continue
            if need <= 0 or self._generic_pairs_reach(generic_tokens, record_id, need, written):
                if several:
                    best_listed = self._listed_similarity(record_id, query_distinctive) + _BOUND_MARGIN
                    if best_listed < sims:
                        need = threshold * (query_weight + weights[record_id]) - 2 * DISTINCTIVE_WEIGHT * best_listed
                        if need > 0 and (generic_pairs < need
                                         or not self._generic_pairs_reach(generic_tokens, record_id, need, written)):
                            continue
                found.add(record_id)
        distinctive = [t for t in query.tokens if not is_generic(t)]
        for record_id in bounded_below:
            if self._joined_reaches(record_id, words, distinctive, joined.get(record_id, ()), spellings,
                                    acronym_of.get(record_id, ()), acronym_in.get(record_id, ()), threshold,
                                    query.spelled):
                found.add(record_id)
        # A query made only of generic words ("Shenyang Aircraft") matches names that contain
        # all its words ("AVIC Shenyang Aircraft Company").
        if len(generic) >= 2 and len(generic) == len(set(query.tokens)):
            postings = sorted((set(_unpack(self._generic_postings.get(t))) for t in generic), key=len)
            found.update(postings[0].intersection(*postings[1:]))
        found.update(self._generic_names_in(generic_names_words[:_MAX_GENERIC_SUBSET_WORDS], query,
                                            query_weight, threshold))
        return found

    def _generic_names_in(self, generic: list[str], query: NormalisedName, query_weight: float,
                          threshold: float) -> frozenset[int] | set[int]:
        """Names made only of generic words, all of them among ``generic`` (sorted): they
        match only if all their words are in the query. Less the one-word names that score
        below ``threshold`` as ``_lone_generic_word_below`` says.

        Kept per set of generic words: a batch of names has few of them (a twentieth as many
        as names: "Shenzhen … Technology", "… Trading"), and enumerating their subsets is a
        look-up each. What else the answer depends on is in the key."""
        if not generic:
            return set()
        several = len(query.tokens) >= 2
        key = (tuple(generic), several and tuple(w in query.tokens for w in generic), query_weight, threshold)
        cached = self._generic_names_cache.get(key)
        if cached is not None:
            return cached
        found: set[int] = set()
        for size in range(1, len(generic) + 1):
            for subset in combinations(generic, size):  # sorted in, sorted out
                records = _unpack(self._generic_names.get(_GENERIC_KEY_SEP.join(subset)))
                if size == 1 and self._lone_generic_word_below(subset[0], query, query_weight, threshold):
                    found.update(r for r in records if not self._is_lone_word(r))
                else:
                    found.update(records)
        if len(self._generic_names_cache) < _GENERIC_NAMES_CACHE_SIZE:
            self._generic_names_cache[key] = frozenset(found)
        return found

    def _listed_similarity(self, record_id: int, query_distinctive: list[str]) -> float:
        """Σ over a record's distinctive words (main and in brackets, each as often as it is
        written) of their best similarity to one of ``query_distinctive``: each listed word
        pairs with one query word at most (``match._align``)."""
        row = self._records[record_id][1]
        total = 0.0
        for word in row[1] + row[3]:
            if not is_generic(word):
                total += max([max(token_similarity(q, word), shortened_similarity(q, word)) for q in query_distinctive])
        return total

    def _is_lone_word(self, record_id: int) -> bool:
        row = self._records[record_id][1]
        return len(row[1]) == 1 and not row[3]  # one word, no bracketed alias

    @staticmethod
    def _lone_generic_word_below(word: str, query: NormalisedName, query_weight: float, threshold: float) -> bool:
        """True if a listed name that is just the generic ``word`` (no alias in brackets)
        scores below ``threshold`` against ``query``, a name of several words with ``word``
        among them. Its score is known without comparing: the word pairs with the query's
        equal word (nothing joins: the query already has it), every other query word is
        left over at its weight, and the lone word is no identity ("promoted") because the
        query has words left over, so score = 2 g / (2 g + query weight - g), g the generic
        weight. Most names a query of generic words reaches are such ("International",
        "Trading"): comparing them was half the comparisons of a big screening."""
        if len(query.tokens) < 2 or word not in query.tokens:
            return False
        score = 2 * GENERIC_WEIGHT / (query_weight + GENERIC_WEIGHT)
        return score < threshold - 1e-9  # a hair's margin: rounding never drops a match

    def _joined_reaches(self, record_id: int, words: tuple[str, ...], distinctive: list[str],
                        in_runs: Collection[str], spellings: set[str],
                        acronym_of: Collection[str], acronym_in: Collection[str], threshold: float,
                        spelled_query: tuple[str, ...] = ()) -> bool:
        """True if a record reached through words run together or an acronym may score
        ``threshold`` or more.

        A distinctive word of either name that pairs with no word of the other
        (``token_similarity``), takes part in no join and is no acronym stays unmatched and
        weighs 1 in the denominator, while at most every other word of both names (each
        weighing 1 at most) is matched: with n words in both names and u of them unmatched,
        the score is at most (n - u) / n. An acronym takes the one word its name has left
        over (``match._recover_acronym``), so it explains the other name only when at most
        that word is left.

        Without an acronym the bound only falls as unmatched words are found, so counting
        stops at the first one too many: most records reached so fall short by far."""
        row = self._records[record_id][1]
        listed = row[1] + row[3]
        total = len(words) + len(listed)
        if acronym_of or acronym_in:
            allowed = total  # an acronym may excuse every unmatched word: count them all
        else:
            allowed = _most_unmatched(total, threshold)
            if allowed < 0:
                return False
        unmatched = 0
        lone_query = []
        for t in distinctive:
            if t not in in_runs and not any(token_similarity(t, x) for x in listed) and not _shortened_in(
                    t, (*listed, *row[5])):
                lone_query.append(t)
                unmatched += 1
                if unmatched > allowed:
                    return False
        lone_listed = []
        for t in row[1]:
            if (not is_generic(t) and not any(t in spelled for spelled in spellings)
                    and not any(token_similarity(q, t) for q in words)
                    and not _shortened_in(t, (*words, *spelled_query))):
                lone_listed.append(t)
                unmatched += 1
                if unmatched > allowed:
                    return False
        if acronym_of and len(lone_query) <= 1 and set(lone_query) <= set(acronym_of):
            unmatched = 0
        elif acronym_in and len(lone_listed) <= 1 and set(lone_listed) <= set(acronym_in):
            unmatched = 0
        return _joined_score_bound(total, unmatched) >= threshold

    def _generic_pairs_reach(self, generic_tokens: list[str], record_id: int, need: float,
                             written: dict[str, tuple[str, ...]]) -> bool:
        """True if the query's generic words can add ``need`` or more to the matched weight
        against a record: a word the record also has pairs with it exactly (greedy alignment
        takes equal words first) for 2 GENERIC_WEIGHT; another pairs at best with its most
        similar word. Every word adds something or nothing, so summing stops as soon as the
        sum reaches ``need``, or can no longer: a word adds at most its weight and that of
        the word it pairs with (a distinctive one at most)."""
        row = self._records[record_id][1]
        words = row[1] + row[3]  # main tokens and qualifiers
        total = 0.0
        most_left = sum((token_weight(g) + DISTINCTIVE_WEIGHT for g in generic_tokens), 0.0)
        for g in generic_tokens:
            most_left -= token_weight(g) + DISTINCTIVE_WEIGHT
            if g in words:  # a distinctive word the record has is counted in its postings
                total += 2 * GENERIC_WEIGHT if is_generic(g) else 0.0
            else:
                best = 0.0
                for t in words:  # most words of a record pair with no generic word: no weight looked up
                    sim = token_similarity(g, t)
                    if sim:
                        best = max(best, (token_weight(g) + token_weight(t)) * sim)
                # One word shortening the other ("Info" / "Information", "Inds" / "Industries"
                # as written, match._recover_shortened): the record's words as written too,
                # and the query's for a generic word it writes otherwise.
                for t in (*words, *row[5]):
                    for x in (g, *written.get(g, ())):
                        if x[:1] == t[:1] and shortened_similarity(x, t):
                            best = max(best, (token_weight(g) + token_weight(canonical(t))) * SHORTENED_SIMILARITY)
                total += best
            if total >= need:
                return True
            if total + most_left < need - _BOUND_MARGIN:
                return False
        return total >= need

    def screen(
        self,
        name: str,
        as_of: date,
        lists: Collection[str] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> list[Match]:
        """Entries listed on ``as_of`` (optionally only from ``lists``) whose name or an
        alias scores at least ``threshold`` against ``name``: best first, then by entity id
        and list name. One match per listed party, through its best-scoring name.

        A name written as several (``name_parts``: "X dba Y", "X / Y", "X c/o Y", a name and
        its Chinese or Russian original) is screened whole and part by part; a match through
        a part names it (``query_part`` in its explanation)."""
        matches = self._screen_name(name, as_of, lists, threshold)
        parts = name_parts(name)
        if not parts:
            return matches
        best = {(m.list_name, m.entity_id): m for m in matches}
        for part in parts:
            for m in self._screen_name(part, as_of, lists, threshold):
                party = (m.list_name, m.entity_id)
                if party not in best or m.score > best[party].score:
                    best[party] = replace(m, explanation={**m.explanation, "query": name, "query_part": part})
        return sorted(best.values(), key=_match_order)

    def _screen_name(self, name: str, as_of: date, lists: Collection[str] | None, threshold: float) -> list[Match]:
        query = normalise_name(name)
        if names_no_party(query):  # "Ltd.", "Co., Ltd.": not screened
            return []
        # One match per listed party: the same (list, entity id) can arrive twice, e.g. an SDN
        # entry from the CSL's SDN section and from OFAC's own sdn.csv.
        best: dict[tuple[str, str], tuple[float, int, Comparison]] = {}
        # Listed names that normalise alike (the same SDN name from the CSL and from OFAC's
        # file, "X Co." and "X Company") are compared once: the comparison reads the
        # normalised parts, never the name as written, which is put back for each.
        compared: dict[tuple[Any, ...], Comparison] = {}
        query_places = _places(query)
        for record_id in sorted(self._candidates(query, threshold)):
            entry_index, form = self._records[record_id]
            row = self._entry_rows[entry_index]
            if lists is not None and row[0] not in lists:
                continue
            party = (row[0], row[1])  # (list name, entity id)
            if best.get(party, (-1.0,))[0] >= 1.0:
                continue  # matched in full through another of its names: none scores more
            entry = self._entry(entry_index)
            if not entry.listed_on(as_of):
                continue
            parts = tuple(form[1:])
            comparison = compared.get(parts)
            if comparison is None:
                comparison = compared[parts] = compare_normalised(query, self._norm(record_id))
            else:
                listed = self._norm(record_id)
                if comparison.swapped:
                    comparison = replace(comparison, a=listed)
                else:
                    comparison = replace(comparison, b=listed)
            if query_places and comparison.score > VETO_CAP - 1e-9:
                comparison = compare_located(query, self._norm(record_id), self._located(entry_index), comparison,
                                             query_places)
            if comparison.score >= threshold and (_by_chance(comparison) or craft_by_chance(comparison, entry)):
                continue
            if comparison.score >= threshold and comparison.score > best.get(party, (-1.0,))[0]:
                best[party] = (comparison.score, record_id, comparison)
        matches = [self._match(name, record_id, comparison, threshold) for _, record_id, comparison in best.values()]
        matches.sort(key=_match_order)
        return _bundled_once(matches)

    def screen_many(
        self,
        names: Iterable[str],
        as_of: date,
        lists: Collection[str] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> dict[str, list[Match]]:
        """Screen each distinct name once; returns {name: matches} in first-seen order.

        More than ``PARALLEL_MIN_NAMES`` distinct names are screened on every CPU this
        process may use: by this process and forked workers that inherit the index (nothing
        is copied or rebuilt), see ``_screen_in_turns``; each name is screened exactly as
        ``screen`` does, so the results are the same, only the ``entry`` of a match a worker
        made is a copy of the index's entry."""
        distinct = list(dict.fromkeys(names))
        workers = _worker_count() if len(distinct) > PARALLEL_MIN_NAMES else 1
        if workers == 1:
            return {name: self.screen(name, as_of, lists, threshold) for name in distinct}
        # Frozen objects are never scanned by the garbage collector, which would otherwise
        # touch, and so copy, every page of the inherited index in the workers; frozen first,
        # the warm-up's collections do not scan the index either (they took it from 30 to 80 ms).
        gc.freeze()
        try:
            _warm_up(distinct)
            screened = _screen_in_turns(lambda name: self.screen(name, as_of, lists, threshold), distinct, workers)
        finally:
            gc.unfreeze()
        return dict(zip(distinct, screened))

    def _match(self, query_text: str, record_id: int, comparison: Comparison, threshold: float) -> Match:
        entry = self._entry(self._records[record_id][0])
        listed = self._norm(record_id).original
        explanation = {"query": query_text, "matched_name": listed,
                       **comparison.explanation("query", "candidate"), "threshold": threshold}
        return Match(
            list_name=entry.list_name,
            entity_id=entry.entity_id,
            name=entry.name,
            matched_name=listed,
            score=comparison.score,
            explanation=explanation,
            source=entry.source,
            legal_effect=entry.legal_effect,
            entry=entry,
        )


def _shortened_in(word: str, others: tuple[str, ...]) -> bool:
    """True if ``word`` shortens one of ``others`` or is shortened by one (both start alike)."""
    first = word[:1]
    return any(shortened_similarity(word, other) for other in others if other[:1] == first)


def _joined_score_bound(total: int, unmatched: int) -> float:
    """Most a name pair with ``total`` words, ``unmatched`` of them left unmatched, can score
    when every other word is matched (``Screener._joined_reaches``)."""
    most = total - unmatched
    return most / (most + unmatched) if most else 0.0


@lru_cache(maxsize=None)
def _most_unmatched(total: int, threshold: float) -> int:
    """The most unmatched words, of ``total``, that keep ``_joined_score_bound`` at or above
    ``threshold`` (-1: none); the bound only falls as ``unmatched`` grows."""
    return max((u for u in range(total + 1) if _joined_score_bound(total, u) >= threshold), default=-1)


def _by_chance(comparison: Comparison) -> bool:
    """True for a match that comparing two names makes but screening one name against tens of
    thousands should not, because some listed name would give it by chance: an acronym
    (``_initials_by_chance``) or a one-word name one slip of the hand from a listed one-word
    name ("Kraken" / "Krakern Limited", "Vistra" / "Vista": ``match.slip_alone``; among so
    many listed names one is a letter away from almost any short word)."""
    return _initials_by_chance(comparison) or slip_alone(comparison)


def compare_located(query: NormalisedName, listed: NormalisedName, located: frozenset[str],
                    comparison: Comparison | None = None, places: frozenset[str] | None = None) -> Comparison:
    """The comparison of a query with a listed name, knowing where the listed party is
    (``located_places``; ``comparison``: the one made without, and ``places``: the query's
    ``_places``, if at hand).

    A place the query adds does not name another party where the listed party is located
    ("Sophgo Technologies Ltd. (Singapore)" / its Singapore entry), nor where the list does
    not say where it is ("Bank Mellat (Iran)" / the SDN's BANK MELLAT, an entry without an
    address): nothing says the place is elsewhere. Not for a name of generic words only,
    which a place makes another party ("Industrial Bank of Korea" / "INDUSTRIAL BANK")."""
    if comparison is None:
        comparison = compare_normalised(query, listed)
    if comparison.score <= VETO_CAP - 1e-9:
        return comparison  # nothing a place vetoed
    if places is None:
        places = _places(query)
    if located and not any(is_place(t) and t not in located for t in listed.tokens):
        # A party in a country is, as far as a name can tell, in each of its cities ("Sophgo
        # (Beijing)" / the Entity List's Sophgo, located "CN"); not when the listed name
        # names a city of its own ("Qingdao Sophgo").
        located = located.union(*(PLACES_IN.get(place, ()) for place in located))
    if located & places:
        return compare_normalised(query, listed, located)
    if located and query.annotations:
        # The query notes where its party is ("… Ltd. (Singapore)"), the list says the
        # listed party is elsewhere: the note names another party after all.
        return compare_normalised(query, listed, located)
    listed_left = comparison.unmatched_a if comparison.swapped else comparison.unmatched_b
    if places and not located and comparison.penalty and not any(
            is_place(t) and t not in DIRECTIONS for t in listed_left):
        # (a place only ever vetoes: nothing else to undo; and not where the listed name
        # names a place of its own the query lacks: "Western Alliance Bank" / "RUSSIAN
        # FINANCIAL ALLIANCE BANK" say two places, whatever the list leaves unsaid)
        anywhere = compare_normalised(query, listed, places)
        if anywhere.score > comparison.score and not anywhere.promoted:
            return replace(anywhere, location_unknown=True)
    return comparison


def _places(query: NormalisedName) -> frozenset[str]:
    """The place words a query has, in its name or its parentheses."""
    return frozenset(t for t in query.tokens + query.bracketed if is_place(t))


# Between two names of one party in one cell: "X dba Y", "X / Y", "X c/o Y", "X - Y".
_PARTS_RE = re.compile(
    r"\s+(?:/|\||;|dba|d/b/a|d\.b\.a\.?|t/a|trading as|aka|a\.k\.a\.?|fka|f/k/a|f\.k\.a\.?|formerly|c/o)\s+"
    r"|\s+[-–—]\s+", re.IGNORECASE)


def name_parts(name: str) -> list[str]:
    """The names one cell writes, when it writes several: split at "dba", "aka", "c/o",
    "formerly", a spaced slash, bar or dash, and where Latin script meets another ("Huawei
    Technologies Co., Ltd. 华为技术有限公司", "Bitriver / Битривер"). Only parts with a
    distinctive word, and none when the name is one: a repeated brand ("Huawei Technologies
    Co., Ltd. - Huawei") would otherwise count against the match, a care-of party go
    unscreened."""
    pieces = [p for chunk in _PARTS_RE.split(name) for p in _script_runs(chunk)]
    if len(pieces) < 2:
        return []  # most names: nothing to cut
    parts = [p.strip(" ,;()[]«»\"'") for p in pieces]
    parts = [p for p in parts if p and any(len(t) >= 3 and not is_generic(t) for t in normalise_name(p).tokens)]
    return parts if len(parts) > 1 else []


def _script_runs(text: str) -> list[str]:
    """``text`` cut where its letters change from Latin to another script or back."""
    if text.isascii():
        return [text]  # most names: one script
    runs: list[str] = []
    start, last = 0, None
    for i, char in enumerate(text):
        if not char.isalpha():
            continue
        latin = ord(char) <= LAST_LATIN
        if last is not None and latin != last:
            cut = text.rfind(" ", start, i) + 1 or i  # at the space before the word, if any
            runs.append(text[start:cut])
            start = cut
        last = latin
    return runs + [text[start:]]


def _plain(name: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())


def _bundled_once(matches: list[Match]) -> list[Match]:
    """``matches`` less the bundled list's entries that an imported file lists again: the same
    list and the same listed name (case and punctuation aside) is one party, and showing both
    counted Huawei twice on the 1260H list. Only where both match: a bundled entry still
    counts while the imported version does not list the party that day."""
    if len(matches) < 2 or not any(m.entity_id.startswith(BUNDLED_ID_PREFIX) for m in matches):
        return matches
    imported = {(m.list_name, _plain(m.name)) for m in matches if not m.entity_id.startswith(BUNDLED_ID_PREFIX)}
    return [m for m in matches
            if not (m.entity_id.startswith(BUNDLED_ID_PREFIX) and (m.list_name, _plain(m.name)) in imported)]


def _match_order(m: Match) -> tuple[float, str, str]:
    return (-m.score, m.entity_id, m.list_name)


def located_places(entry: ListEntry) -> frozenset[str]:
    """The place words (as ``normalise_name`` has them) of where a listed party is: its
    country and the parts of its addresses ("…, Shenzhen, Guangdong, 518000, CN")."""
    parts = [entry.country or ""] + [part for address in entry.addresses for part in address.split(",")]
    places: set[str] = set()
    for part in map(str.strip, parts):
        if len(part) == 2 and part.isalpha():
            part = country_name(part)
        if part:
            places.update(t for t in normalise_name(part).tokens if is_place(t))
    return frozenset(places)


# Listed vessels and aircraft: named by their name alone, often an ordinary word.
CRAFT_TYPES = frozenset({"vessel", "aircraft"})


def craft_by_chance(comparison: Comparison, entry: ListEntry) -> bool:
    """True when a listed vessel or aircraft matches a query that adds words to its name:
    a ship is "SUNRISE", "HERO II" or "ZEUS" (the lists give former names too), so a
    supplier "Sunrise Electronics" or "Zeus Mining" shares an ordinary word with it, not an
    identity. A query that is the craft's name (legal forms aside) still matches, as
    written: not as the initials of the query's words ("Murata Electronics North America" is
    no tanker "MENA")."""
    if entry.entity_type not in CRAFT_TYPES:
        return False
    return bool(comparison.unmatched_b if comparison.swapped else comparison.unmatched_a) or any(
        p.kind in ("acronym", "abbreviation") for p in comparison.pairs)


def _initials_by_chance(comparison: Comparison) -> bool:
    """True when a one-word query matches a listed name only as the initials of its words
    and the list does not write that acronym ("TIAA" / "Taibah International Aid Agency").
    Among tens of thousands of listed names some spell almost any four letters, so such a
    match is chance more often than not; where the list gives the acronym as an alias the
    alias matches outright, and where it writes it in brackets ("Atomic Energy Organization
    of Iran (AEOI)") it counts. Compared as a pair (``compare_names``) the acronym still
    matches: there is no list of names to have picked it from.

    The other way round too, for three letters: a listed acronym ("ETA", "ELN", "MIG",
    hundreds of them) matched by a query of three words with those initials ("Mawson
    Infrastructure Group") counts only where the query writes the acronym, or where both
    names' legal forms spell it too ("ZTE Corp" / "Zhongxing Telecommunication Equipment
    Corporation"); the listed party's full name is screened as well and matches a query that
    names it."""
    query, listed = (comparison.b, comparison.a) if comparison.swapped else (comparison.a, comparison.b)
    word = acronym_alone(comparison)
    if word is not None:
        return word not in _WORD_RE.findall(listed.original.casefold())
    word = acronym_alone(comparison, second=True)
    if word is not None and len(word) < ACRONYM_MIN_LENGTH:
        spelled_with_legal_form = bool(listed.legal_initials) and word + listed.legal_initials in acronyms(
            query.core_tokens, query.legal_initials, query.spelled)
        return not spelled_with_legal_form and word not in _WORD_RE.findall(query.original.casefold())
    if word is not None and word not in _WORD_RE.findall(query.original.casefold()):
        # A longer listed acronym spelled only with the letters of the query's legal form
        # ("CCTC", an alias of China Construction Technology Co., / "Coinbase Custody Trust
        # Co LLC"): three words and a "Co" spell one of the lists' hundreds of acronyms by
        # chance; the words' own initials must spell it.
        return word not in acronyms(query.core_tokens, "", query.spelled)
    return False


_WORD_RE = re.compile(r"[0-9a-z]+")

# Above this many distinct names, screen_many forks workers: forking and collecting results
# costs tens of milliseconds, well under the time of a few thousand names.
PARALLEL_MIN_NAMES = 2000


def _worker_count() -> int:
    """CPUs this process may use; 1 where forking is unavailable (macOS defaults to spawn
    and Windows has no fork) or not allowed (a daemonic pool worker has no children)."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# screen_many hands out names in chunks this big (a few ms of work each): small enough that
# every process finishes within a chunk of the others, big enough that taking one (a shared
# counter under a lock) costs nothing.
_TURN_NAMES = 64


def _screen_in_turns(screen: Callable[[str], list[Match]], names: list[str], workers: int) -> list[list[Match]]:
    """``screen`` of every name, in order, by this process and ``workers - 1`` forked
    workers, each taking the next chunk of ``_TURN_NAMES`` names until none is left.

    This process screens its share itself rather than wait for a pool of ``workers``: a
    pool's parent spends a thirtieth of the batch's CPU handing out names and unpickling
    every result while the workers need both CPUs, one more process is forked, and half of
    the results never cross a pipe. A worker sends each chunk's results as it finishes it,
    and this process reads what has arrived between its own chunks: sent all at the end,
    pickling and reading them took 30-50 ms after the last name was screened.
    The workers run without the garbage collector: they live for this one batch, and it
    would only rescan the caches they fill (about a twentieth of their time)."""
    context = multiprocessing.get_context("fork")
    next_chunk = context.Value("q", 0)
    chunks = -(-len(names) // _TURN_NAMES)

    def take_turns() -> Iterator[tuple[int, list[list[Match]]]]:
        while True:
            with next_chunk.get_lock():
                chunk = next_chunk.value
                next_chunk.value = chunk + 1
            if chunk >= chunks:
                return
            yield chunk, [screen(name) for name in names[chunk * _TURN_NAMES : (chunk + 1) * _TURN_NAMES]]

    def work(results: Any) -> None:
        gc.disable()
        try:
            for screened in take_turns():
                results.send(screened)
        except BaseException as error:  # reported, and raised again, by the parent
            results.send(RuntimeError(f"screening worker failed: {error!r}"))
        else:
            results.send(None)  # no chunk left

    done: dict[int, list[list[Match]]] = {}
    working: dict[Any, Any] = {}  # pipe from each worker still sending -> its process

    def read(receive: Any, wait: bool) -> None:
        """Results that have arrived from a worker (with ``wait``, until it is done)."""
        while receive in working and (wait or receive.poll()):
            try:
                message = receive.recv()
            except EOFError:
                raise RuntimeError(
                    f"screening worker ended without results (exit code {working[receive].exitcode})") from None
            if message is None:
                del working[receive]
            elif isinstance(message, BaseException):
                raise message
            else:
                done[message[0]] = message[1]

    started = []
    finished = collecting = False
    try:
        for _ in range(workers - 1):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=work, args=(send,), daemon=True)
            process.start()
            send.close()
            started.append((process, receive))
            working[receive] = process
        collecting = gc.isenabled()
        gc.disable()  # as in the workers
        for chunk, screened in take_turns():
            done[chunk] = screened
            for receive in list(working):
                read(receive, wait=False)
        for receive in list(working):
            read(receive, wait=True)
        finished = True
    finally:
        # What this batch made (caches, results: hundreds of thousands of objects) is frozen
        # with the index rather than scanned at once by the first collection after it: that
        # took 46 ms, with the workers done and nothing else to do.
        gc.freeze()
        if collecting:
            gc.enable()
        for process, receive in started:
            if not finished:  # this process failed or was interrupted: the batch is abandoned
                process.kill()
                process.join()
            # A worker that sent its last results is not waited for: freeing its memory takes
            # it 10-30 ms. multiprocessing reaps it when a process is next started, or at exit.
            receive.close()
    return [matches for chunk in range(chunks) for matches in done[chunk]]


def explain_match_text(match: Match) -> str:
    """One paragraph a compliance officer can read: what matched what, and why."""
    e = match.explanation
    via = (
        f'its listed name "{match.name}"'
        if match.matched_name == match.name
        else f'the alias "{match.matched_name}" of "{match.name}"'
    )
    part = f' (its part "{e["query_part"]}")' if e.get("query_part") else ""
    parts = [
        f'"{e.get("query", "")}"{part} matches {via}, entry {match.entity_id} on {match.list_name}, '
        f'with score {match.score:.2f} (threshold {e.get("threshold", DEFAULT_THRESHOLD):.2f}).',
        f'Compared as "{e["query_normalised"]}" and "{e["candidate_normalised"]}": {e["reason"]}.',
    ]
    if match.legal_effect:
        parts.append(f"Legal effect of this list: {match.legal_effect.strip().rstrip('.')}.")
    if match.source:
        parts.append(f"Source: {match.source.strip().rstrip('.')}.")
    parts.append("A name match is exposure to review, not proof that the parties are the same.")
    return " ".join(parts)
