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
  form) spell a query word ("TSMC"), and names that are the query's acronym.

Every candidate is then scored with exactly the comparison behind `compare_names`, so a
screening hit and `compare_names` agree on the score.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any, Collection, Iterable

from auditor.refdata.entities import ListEntry
from auditor.screening.match import DEFAULT_THRESHOLD, acronyms, compare_normalised
from auditor.screening.normalize import (
    DISTINCTIVE_WEIGHT,
    GENERIC_WEIGHT,
    NormalisedName,
    is_generic,
    normalise_name,
    token_weight,
)
from auditor.screening.tokens import token_similarity, translit_skeleton

# Queries with more generic words than this look up all-generic names by their rarest
# words only (2**12 subsets is the most we enumerate).
_MAX_GENERIC_SUBSET_WORDS = 12


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


@dataclass(frozen=True)
class _Record:
    entry_index: int
    name: str  # listed name or alias as written
    norm: NormalisedName


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _lookup_keys(token: str) -> set[str]:
    """Keys under which a token is indexed and looked up (see module docstring)."""
    keys = {token, "~" + translit_skeleton(token)}
    if len(token) >= 5:  # shorter tokens pair only when equal or equal in skeleton
        keys |= _deletions(token)
    if token.startswith("al") and len(token) >= 6:  # joined Arabic article
        keys |= _lookup_keys(token[2:])
    return keys


def _joins(tokens: tuple[str, ...], sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    return ["".join(tokens[i : i + n]) for n in sizes for i in range(len(tokens) - n + 1)]


def _spelled_joins(norm: NormalisedName) -> set[str]:
    """Runs of the words as written (legal forms and stopwords included) run together."""
    return {j for j in _joins(norm.spelled, (2, 3, 4)) if len(j) >= 5} - set(_joins(norm.tokens))


def _run_acronyms(norm: NormalisedName) -> set[str]:
    """Acronyms of the name and of each run of its words (see ``match.acronyms``)."""
    tokens = norm.tokens[:12]
    found = acronyms(tokens, norm.legal_initials, norm.spelled)
    for start in range(len(tokens)):
        for end in range(start + 2, len(tokens) + 1):
            found |= acronyms(tokens[start:end], norm.legal_initials if end == len(tokens) else "")
    return found


class Screener:
    """Screens names against a fixed set of list entries.

    >>> screener = Screener(entries)
    >>> screener.screen("Sophgo Technologies Co., Ltd", date(2025, 6, 1))
    """

    def __init__(self, entries: Iterable[ListEntry]):
        # A stable order makes every tie-break, and so every result, deterministic.
        self.entries: tuple[ListEntry, ...] = tuple(
            sorted(entries, key=lambda e: (e.list_name, e.entity_id, e.name))
        )
        self._records: list[_Record] = []
        self._weights: list[float] = []  # total weight of each record's main tokens
        self._postings: dict[str, list[int]] = defaultdict(list)  # distinctive token -> records
        self._join_postings: dict[str, list[int]] = defaultdict(list)  # "hua wei" -> "huawei"
        self._generic_names: dict[frozenset[str], list[int]] = defaultdict(list)
        self._generic_postings: dict[str, set[int]] = defaultdict(set)  # generic word -> records
        self._acronym_postings: dict[str, list[int]] = defaultdict(list)  # "tsmc" -> records
        self._token_keys: dict[str, list[str]] = defaultdict(list)  # lookup key -> tokens
        for index, entry in enumerate(self.entries):
            seen: set[tuple] = set()
            for listed in (entry.name, *entry.aliases):
                norm = normalise_name(listed)
                if norm.is_empty or norm.key in seen:
                    continue
                seen.add(norm.key)
                self._add(_Record(index, listed, norm))
        for token in sorted(self._postings):
            for key in _lookup_keys(token):
                self._token_keys[key].append(token)
        # Joined words ("hua wei" -> "huawei") are found as written or in skeleton only:
        # there are many of them and a misspelt join is rare.
        for token in sorted(set(self._join_postings) - set(self._postings)):
            for key in (token, "~" + translit_skeleton(token)):
                self._token_keys[key].append(token)
        self._similar_cache: dict[str, tuple[str, ...]] = {}

    def _add(self, record: _Record) -> None:
        record_id = len(self._records)
        self._records.append(record)
        tokens = record.norm.tokens
        self._weights.append(sum(map(token_weight, tokens)))
        for token in {t for t in tokens + record.norm.qualifiers if not is_generic(t)}:
            self._postings[token].append(record_id)
        for token in set(_joins(tokens)) | _spelled_joins(record.norm):
            self._join_postings[token].append(record_id)
        for acronym in _run_acronyms(record.norm):
            self._acronym_postings[acronym].append(record_id)
        if all(map(is_generic, tokens)):
            self._generic_names[frozenset(tokens)].append(record_id)
        for token in tokens:
            if is_generic(token):
                self._generic_postings[token].add(record_id)

    def __len__(self) -> int:
        return len(self._records)

    def _similar_tokens(self, token: str) -> tuple[str, ...]:
        """Indexed tokens that pair with ``token`` (token_similarity > 0)."""
        cached = self._similar_cache.get(token)
        if cached is None:
            found = {t for key in _lookup_keys(token) for t in self._token_keys.get(key, ())}
            cached = tuple(sorted(t for t in found if token_similarity(token, t) > 0))
            self._similar_cache[token] = cached
        return cached

    def _candidates(self, query: NormalisedName, threshold: float) -> set[int]:
        """Records that may score ``threshold`` or more against ``query``."""
        reached_by: Counter[int] = Counter()  # record -> query words that reach it
        joined: set[int] = set()  # reached through a joined token: weights change, no bound
        words = query.tokens + query.qualifiers
        for token in sorted({t for t in words if not is_generic(t)}):
            reached: set[int] = set()
            for similar in self._similar_tokens(token):
                reached.update(self._postings.get(similar, ()))
                joined.update(self._join_postings.get(similar, ()))
            reached_by.update(reached)
        for token in _joins(query.tokens):
            for similar in self._similar_tokens(token):
                joined.update(self._postings.get(similar, ()))
                joined.update(self._join_postings.get(similar, ()))
        for token in _spelled_joins(query):
            joined.update(self._postings.get(token, ()))
        # Acronyms, both ways: a query word that is a listed name's acronym, a listed word
        # that is the query's.
        for token in set(words):
            joined.update(self._acronym_postings.get(token, ()))
        for acronym in _run_acronyms(query):
            joined.update(self._postings.get(acronym, ()))
        # Score bound for a name reached through k distinctive query words: each pair
        # weighs at most 2 (two distinctive words), each of the g generic query words pairs
        # for at most GENERIC_WEIGHT + 1, and every word of both names counts in the
        # denominator, so score <= (2 k + (GENERIC_WEIGHT + 1) g) / (query + name weights).
        query_weight = sum(map(token_weight, query.tokens))
        generic = sorted({t for t in query.tokens if is_generic(t)})
        generic_pairs = (GENERIC_WEIGHT + DISTINCTIVE_WEIGHT) * sum(1 for t in query.tokens if is_generic(t))
        found = set(joined)
        for record_id, k in reached_by.items():
            if (2 * DISTINCTIVE_WEIGHT * k + generic_pairs) >= threshold * (query_weight + self._weights[record_id]):
                found.add(record_id)
        # A query made only of generic words ("Shenyang Aircraft") matches names that contain
        # all its words ("AVIC Shenyang Aircraft Company").
        if len(generic) >= 2 and len(generic) == len(set(query.tokens)):
            postings = sorted((self._generic_postings.get(t, set()) for t in generic), key=len)
            found.update(postings[0].intersection(*postings[1:]))
        # Names made only of generic words match only if all their words are in the query.
        if len(generic) > _MAX_GENERIC_SUBSET_WORDS:
            generic = generic[:_MAX_GENERIC_SUBSET_WORDS]
        for size in range(1, len(generic) + 1):
            for subset in combinations(generic, size):
                found.update(self._generic_names.get(frozenset(subset), ()))
        return found

    def screen(
        self,
        name: str,
        as_of: date,
        lists: Collection[str] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> list[Match]:
        """Entries listed on ``as_of`` (optionally only from ``lists``) whose name or an
        alias scores at least ``threshold`` against ``name``: best first, then by entity id
        and list name. One match per listed party, through its best-scoring name."""
        query = normalise_name(name)
        if query.is_empty:
            return []
        # One match per listed party: the same (list, entity id) can arrive twice, e.g. an SDN
        # entry from the CSL's SDN section and from OFAC's own sdn.csv.
        best: dict[tuple[str, str], tuple[float, int]] = {}
        for record_id in sorted(self._candidates(query, threshold)):
            record = self._records[record_id]
            entry = self.entries[record.entry_index]
            if lists is not None and entry.list_name not in lists:
                continue
            if not entry.listed_on(as_of):
                continue
            score = compare_normalised(query, record.norm).score
            party = (entry.list_name, entry.entity_id)
            if score >= threshold and score > best.get(party, (-1.0, 0))[0]:
                best[party] = (score, record_id)
        matches = [self._match(name, query, self._records[rid], threshold) for _, rid in best.values()]
        matches.sort(key=lambda m: (-m.score, m.entity_id, m.list_name))
        return matches

    def screen_many(
        self,
        names: Iterable[str],
        as_of: date,
        lists: Collection[str] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> dict[str, list[Match]]:
        """Screen each distinct name once; returns {name: matches} in first-seen order."""
        results: dict[str, list[Match]] = {}
        for name in names:
            if name not in results:
                results[name] = self.screen(name, as_of, lists, threshold)
        return results

    def _match(self, query_text: str, query: NormalisedName, record: _Record, threshold: float) -> Match:
        entry = self.entries[record.entry_index]
        comparison = compare_normalised(query, record.norm)
        explanation = {"query": query_text, "matched_name": record.name,
                       **comparison.explanation("query", "candidate"), "threshold": threshold}
        return Match(
            list_name=entry.list_name,
            entity_id=entry.entity_id,
            name=entry.name,
            matched_name=record.name,
            score=comparison.score,
            explanation=explanation,
            source=entry.source,
            legal_effect=entry.legal_effect,
            entry=entry,
        )


def explain_match_text(match: Match) -> str:
    """One paragraph a compliance officer can read: what matched what, and why."""
    e = match.explanation
    via = (
        f'its listed name "{match.name}"'
        if match.matched_name == match.name
        else f'the alias "{match.matched_name}" of "{match.name}"'
    )
    parts = [
        f'"{e.get("query", "")}" matches {via}, entry {match.entity_id} on {match.list_name}, '
        f'with score {match.score:.2f} (threshold {e.get("threshold", DEFAULT_THRESHOLD):.2f}).',
        f'Compared as "{e["query_normalised"]}" and "{e["candidate_normalised"]}": {e["reason"]}.',
    ]
    if match.legal_effect:
        parts.append(f"Legal effect of this list: {match.legal_effect.strip().rstrip('.')}.")
    if match.source:
        parts.append(f"Source: {match.source.strip().rstrip('.')}.")
    parts.append("A name match is exposure to review, not proof that the parties are the same.")
    return " ".join(parts)
