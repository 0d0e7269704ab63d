"""The screener's shortcuts change only its speed, never a result (``screener.py``).

Each shortcut skips work whose outcome it claims to know; these tests check the claim on
the shared lists against the comparison itself, so a change to the matcher that makes a
shortcut wrong fails here rather than silently losing a match:

* a listed name that is one generic word is not compared with a longer query that has the
  word: its score is computed from the weights instead and must be the comparison's;
* a run of query words looks up only the one-letter deletions its signature allows: it must
  find exactly what all of them find;
* listed names that normalise alike are compared once per query: every match must carry
  the score and explanation of comparing the query with that very name;
* the acronyms of a name's runs of words are cut from its string of initials: they must be
  what ``match.acronyms`` gives for each run; a query spells out only those that start like
  an indexed word: it must find what all of them find;
* the bounds of names reached through joins and acronyms, and of what generic words add,
  stop counting once the outcome is known: they must decide as the full count does;
* a listed word pairs with one query word at most, so a reached name's distinctive pairs
  score no more than its words' best similarities allow, whatever the query repeats.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from auditor.screening import Screener
from auditor.screening import screener as screener_module
from auditor.screening.match import (
    DEFAULT_THRESHOLD,
    SHORTENED_SIMILARITY,
    acronyms,
    compare_normalised,
    shortened_similarity,
    written_run_acronyms,
)
from auditor.screening.normalize import GENERIC_WEIGHT, NormalisedName, canonical, normalise_name, token_weight
from auditor.screening.tokens import token_similarity
from auditor.screening.vocabulary import GENERIC_WORDS

from .conftest import industry_names

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 6, 1)


def _queries(screener: Screener) -> list[str]:
    """Names nobody chose for these shortcuts: industry names, both sides of the labelled
    pairs, and listed names with a generic word added or a letter lost."""
    names = industry_names()
    with (HERE / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names += [row["name_a"], row["name_b"]]
    listed = [entry.name for entry in screener.entries[::40]]
    names += [f"{name} Trading" for name in listed[::2]]
    names += [name[: len(name) // 2] + name[len(name) // 2 + 1 :] for name in listed[1::2]]
    return list(dict.fromkeys(names))


def test_a_lone_generic_word_scores_what_the_shortcut_says(screener: Screener) -> None:
    lone: dict[str, list[int]] = {}  # generic word -> records that are just that word
    for record_id in range(len(screener)):
        norm = screener._norm(record_id)
        if len(norm.tokens) == 1 and not norm.qualifiers and norm.tokens[0] in GENERIC_WORDS:
            lone.setdefault(norm.tokens[0], []).append(record_id)
    checked = 0
    for name in _queries(screener) + ["Acme International Trading Ltd", "Trading Trading"]:
        query = normalise_name(name)
        weight = sum(GENERIC_WEIGHT if t in GENERIC_WORDS else 1.0 for t in query.tokens)
        for word in set(query.tokens) & lone.keys():
            for threshold in (DEFAULT_THRESHOLD, 0.5, 0.3):
                if not screener._lone_generic_word_below(word, query, weight, threshold):
                    continue
                for record_id in lone[word]:
                    assert compare_normalised(query, screener._norm(record_id)).score < threshold, (name, word)
                    checked += 1
    assert checked > 1000


def test_a_run_of_words_finds_what_every_deletion_finds(screener: Screener) -> None:
    keys = screener._token_keys.keys()
    runs = set()
    for name in _queries(screener) + [entry.name for entry in screener.entries[::5]]:
        runs.update(token for _, token in screener_module._joins_with_runs(normalise_name(name).tokens))
    found = 0
    for run in runs:
        expected = keys & screener_module._deletion_keys(run)
        assert keys & screener_module._join_keys(run, screener._middle_signatures) == expected, run
        found += bool(expected)
    assert len(runs) > 5000 and found > 50  # runs that spell listed words, and many that do not


def test_every_match_is_the_comparison_with_its_listed_name(screener: Screener) -> None:
    matched = shared = 0
    for name in _queries(screener):
        query = normalise_name(name)
        matches = screener.screen(name, AS_OF)
        shared += len(matches) - len({m.matched_name for m in matches})  # one comparison, two parties
        for match in matches:
            assert match.entry is not None
            part = match.explanation.get("query_part")  # a name written as several, matched by one
            assert part is None or part in screener_module.name_parts(name)
            comparison = screener_module.compare_located(normalise_name(part) if part else query,
                                                         normalise_name(match.matched_name),
                                                         screener_module.located_places(match.entry))
            assert match.score == comparison.score, (name, match.matched_name)
            expected = {"query": name, "matched_name": match.matched_name,
                        **comparison.explanation("query", "candidate"), "threshold": DEFAULT_THRESHOLD,
                        **({"query_part": part} if part else {})}
            assert match.explanation == expected, (name, match.matched_name)
            matched += 1
    assert matched > 500 and shared > 50


def _acronyms_run_by_run(tokens: tuple[str, ...], legal_initials: str, spelled: tuple[str, ...]) -> set[str]:
    """``match.acronyms`` of a whole name and of every run of two or more of its words, the
    legal form's initials added when the run ends the name, and the acronyms of its runs as
    written that take in a legal-form word (what the index looks up)."""
    found = written_run_acronyms(NormalisedName("x", tokens, (), spelled=spelled, legal_initials=legal_initials))
    tokens = tokens[:12]
    found |= acronyms(tokens, legal_initials, spelled)
    for start in range(len(tokens)):
        for end in range(start + 2, len(tokens) + 1):
            found |= acronyms(tokens[start:end], legal_initials if end == len(tokens) else "")
    return found


def test_the_acronyms_of_runs_of_words_are_those_of_match_acronyms(screener: Screener) -> None:
    names = _queries(screener) + [n for entry in screener.entries[::3] for n in (entry.name, *entry.aliases)]
    some = 0
    for name in names:
        norm = normalise_name(name)
        expected = _acronyms_run_by_run(norm.core_tokens, norm.legal_initials, norm.spelled)
        assert screener_module._run_acronyms(norm) == expected, name
        some += bool(expected)
    # Names with an empty word, or more words than an acronym has letters, keep to the rule too.
    for tokens, legal, spelled in ((("alpha", "", "beta", "gamma", "delta"), "cl", ()),
                                   (tuple("abcdefghijkl"), "jsc", tuple("abcdefghijkl"))):
        norm = NormalisedName("x", tokens, (), spelled=spelled, legal_initials=legal)
        assert screener_module._run_acronyms(norm) == _acronyms_run_by_run(tokens, legal, spelled)
    assert len(names) > 5000 and some > 2000


def test_acronyms_cut_to_the_heads_of_indexed_words_find_what_all_of_them_find(screener: Screener) -> None:
    """A query spells out only the acronyms that start like an indexed word of an acronym's
    length (``Screener._word_heads``): it must find exactly the indexed words all of its
    acronyms find."""
    indexed = screener._postings.keys() | screener._legal_acronyms.keys()
    names = _queries(screener) + [n for entry in screener.entries[::7] for n in (entry.name, *entry.aliases)]
    found = 0
    for name in names:
        norm = normalise_name(name)
        every = screener_module._run_acronyms(norm)
        cut = screener_module._run_acronyms(norm, screener._word_heads)
        assert cut <= every, name
        assert indexed & cut == indexed & every, name
        found += bool(indexed & every)
    assert len(names) > 5000 and found > 100


def _joined_bound(screener: Screener, record_id: int, words: tuple[str, ...], distinctive: list[str],
                  in_runs: set[str], spellings: set[str], acronym_of: set[str], acronym_in: set[str],
                  spelled_query: tuple[str, ...]) -> float:
    """The bound ``Screener._joined_reaches`` compares with the threshold, counted in full: a
    word that pairs with none of the other name's, as similar or as shortened (either name's
    words as written too), is unmatched."""
    row = screener._records[record_id][1]
    listed = row[1] + row[3]
    lone_query = [t for t in distinctive if t not in in_runs and not any(token_similarity(t, x) for x in listed)
                  and not any(shortened_similarity(t, x) for x in (*listed, *row[5]))]
    lone_listed = [t for t in row[1] if t not in GENERIC_WORDS and not any(t in s for s in spellings)
                   and not any(token_similarity(q, t) for q in words)
                   and not any(shortened_similarity(q, t) for q in (*words, *spelled_query))]
    if acronym_of and len(lone_query) <= 1 and set(lone_query) <= acronym_of:
        lone_query = lone_listed = []
    if acronym_in and len(lone_listed) <= 1 and set(lone_listed) <= acronym_in:
        lone_query = lone_listed = []
    unmatched = len(lone_query) + len(lone_listed)
    most = len(words) + len(listed) - unmatched
    return most / (most + unmatched) if most else 0.0


def test_the_bounds_that_stop_counting_early_decide_as_the_full_count(screener: Screener) -> None:
    """``_joined_reaches`` and ``_generic_pairs_reach`` stop as soon as the outcome is known:
    they must decide as the full count would, for every threshold and need."""
    records = range(0, len(screener), 97)
    decided = 0
    for name in _queries(screener)[::9]:
        query = normalise_name(name)
        words = query.tokens + query.qualifiers
        distinctive = [t for t in query.tokens if t not in GENERIC_WORDS]
        generic = [t for t in query.tokens if t in GENERIC_WORDS]
        for record_id in records:
            row = screener._records[record_id][1]
            in_runs = set(distinctive[:1])
            spellings = {"".join(row[1][:2])}
            for acronym_of, acronym_in in ((set(), set()), (set(distinctive[1:2]), set()), (set(), set(row[1][:1]))):
                bound = _joined_bound(screener, record_id, words, distinctive, in_runs, spellings, acronym_of, acronym_in,
                                      query.spelled)
                for threshold in (0.3, 0.5, DEFAULT_THRESHOLD, 0.9):
                    assert screener._joined_reaches(record_id, words, distinctive, in_runs, spellings,
                                                    acronym_of, acronym_in, threshold, query.spelled) == (bound >= threshold)
            total = 0.0  # what the query's generic words add at most: each as the comparison pairs it
            written = {g: tuple(w for w in query.spelled if w != g and canonical(w) == g) for g in generic}
            for g in generic:
                if g in row[1] + row[3]:
                    total += 2 * GENERIC_WEIGHT
                    continue
                similar = [(GENERIC_WEIGHT + token_weight(t)) * token_similarity(g, t) for t in row[1] + row[3]]
                shortened = [(GENERIC_WEIGHT + token_weight(canonical(t))) * SHORTENED_SIMILARITY
                             for t in (*row[1], *row[3], *row[5]) for x in (g, *written[g]) if shortened_similarity(x, t)]
                total += max(similar + shortened, default=0.0)
            for need in (0.01, 0.3, total, total + 1e-12, 0.6, 1.2, 2.5):
                assert screener._generic_pairs_reach(generic, record_id, need, written) == (total >= need), (name, record_id)
                decided += 1
    assert decided > 10000


def test_a_listed_word_pairs_with_one_query_word_at_most(screener: Screener) -> None:
    """The last bound of a reached name: its distinctive word pairs score at most twice the
    sum, over its distinctive words, of their best similarity to a query word
    (``Screener._listed_similarity``), however often the query repeats a word."""
    queries = _queries(screener)[::4]
    queries += [f"{name.split()[0]} {name}" for name in queries[::3] if name.split()]  # a word twice
    checked = 0
    for name in queries:
        query = normalise_name(name)
        distinctive = [t for t in query.tokens + query.qualifiers if t not in GENERIC_WORDS]
        if len(distinctive) < 2:
            continue
        for record_id in sorted(screener._candidates(query, 0.3))[:40]:
            listed = screener._norm(record_id)
            comparison = compare_normalised(query, listed)
            a_words, b_words = {*query.tokens, *query.qualifiers}, {*listed.tokens, *listed.qualifiers}
            if comparison.swapped:  # the listed name is compared first
                a_words, b_words = b_words, a_words
            if any(p.kind != "word" or p.a not in a_words or p.b not in b_words for p in comparison.pairs):
                continue  # words run together or an acronym: bounded on their own (``_joined_reaches``)
            paired = sum(p.similarity for p in comparison.pairs if p.a not in GENERIC_WORDS and p.b not in GENERIC_WORDS)
            assert paired <= screener._listed_similarity(record_id, distinctive) + 1e-9, (name, record_id)
            checked += 1
    assert checked > 2000


def test_runs_of_written_words_cut_to_the_heads_of_indexed_words_find_what_all_of_them_find(
        screener: Screener) -> None:
    """A query's words as written run together are spelled out only from the words whose
    run starts like an indexed word: they must find exactly the indexed words all runs find."""
    indexed = screener._postings.keys()
    names = _queries(screener) + [n for entry in screener.entries[::7] for n in (entry.name, *entry.aliases)]
    found = 0
    for name in names:
        spelled = normalise_name(name).spelled
        every = {"".join(spelled[start : start + size]) for size in (2, 3, 4) for start in range(len(spelled) - size + 1)}
        assert screener_module._written_runs(spelled) == every, name
        cut = screener_module._written_runs(spelled, screener._word_heads)
        assert indexed & cut == indexed & every, name
        found += bool(indexed & every)
    assert len(names) > 5000 and found > 100
