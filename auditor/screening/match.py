"""Token-aware, explainable similarity of two names.

The score is a weighted token alignment:

* each name is normalised (``normalize.py``) into distinctive and generic words; legal
  forms ("Ltd", "GmbH", "有限公司") are set aside and never count; words in parentheses
  that are not generic ("(Sugon)", "(FSB)") are optional aliases: they count only if matched;
* words of one name are paired one-to-one with words of the other, most similar first,
  where ``tokens.token_similarity`` (rapidfuzz OSA similarity, or that of transliteration
  skeletons) reaches ``TOKEN_MATCH_MIN``; numbers must be equal; runs of words
  that spell one word of the other name ("hua wei" / "huawei") are joined first;
* score = Σ similarity × (weight a + weight b) over pairs ÷ Σ weights of all words, where a
  distinctive word weighs 1 and a generic word ("technology", "trading", "china") 0.15, so
  an unmatched distinctive word costs a lot and an unmatched generic word little. A name
  made only of generic words ("Shenyang Aircraft", "China Telecom") that the other name
  wholly contains is identified by those words: they weigh 1;
* **different numbers or places**: when each name has a number ("99th" / "33rd") or a place
  ("(Tianjin)" / "(Beijing)") the other lacks, they name different units, branches or
  subsidiaries: the score is capped at ``GENERIC_ONLY_CAP``;
* **generic-only guard**: when no distinctive word of one name pairs with a distinctive word
  of the other, the score is capped at ``GENERIC_ONLY_CAP`` (below the threshold):
  "BELLETECH CORP" / "11420 CORP." or "Bitmain Technologies" / "Sophgo Technologies" are not
  matches. A name made only of generic words is exempt when all its words pair up.

The score is symmetric: the pair is always scored in a canonical order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from auditor.screening.normalize import (
    DISTINCTIVE_WEIGHT,
    NormalisedName,
    is_generic,
    is_place,
    normalise_name,
    token_weight,
)
from auditor.screening.tokens import token_similarity

# Threshold: the best F1 on the `tune` half of tests/screening/pairs.csv among 0.50, 0.55 …
# 0.95 (benchmarks/screening_quality.py --sweep), checked on the `holdout` half. In words:
# a name and the same name plus one or two generic words match (0.93, 0.87); a name and the
# same name plus another distinctive word do not (0.67).
DEFAULT_THRESHOLD = 0.70

# A run of tokens joins into one when its concatenation is at least this similar.
JOIN_MATCH_MIN = 0.85
# Ceiling for a score carried by generic words alone, or by names whose numbers differ;
# kept well below DEFAULT_THRESHOLD.
GENERIC_ONLY_CAP = 0.50


@dataclass(frozen=True)
class TokenPair:
    a: str
    b: str
    similarity: float


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
        distinctive = [p.a if p.a == p.b else f"{p.a}~{p.b}" for p in self.pairs if not _generic_pair(p)]
        generic = [p.a if p.a == p.b else f"{p.a}~{p.b}" for p in self.pairs if _generic_pair(p)]
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
        if self.promoted:
            parts.append("a name made only of generic words is contained in the other: its words identify it")
        if self.a.legal_forms or self.b.legal_forms:
            parts.append("legal forms ignored")
        if self.penalty:
            parts.append(self.penalty)
        return "; ".join(parts)


def _generic_name_covered(
    tokens: list[str], unmatched: tuple[str, ...], unmatched_other: tuple[str, ...]
) -> bool:
    """A name made only of generic words ("China Mobile Communications", "China Electronics
    Technology Group") is its own identity: it matches when every one of its words pairs up,
    and it has at least two words or the other name has nothing left over."""
    return (
        all(map(is_generic, tokens))
        and not unmatched
        and (len(tokens) >= 2 or not unmatched_other)
    )


def _generic_pair(pair: TokenPair) -> bool:
    return is_generic(pair.a) or is_generic(pair.b)


def _join_runs(tokens: list[str], others: tuple[str, ...]) -> list[str]:
    """Join runs of 2–3 adjacent tokens that spell a token of the other name."""
    if len(tokens) < 2:
        return tokens
    targets = [t for t in others if len(t) >= 4 and t not in tokens]
    if not targets:
        return tokens

    by_initial: dict[str, list[str]] = {}
    for t in targets:
        by_initial.setdefault(t[0], []).append(t)

    def spells_target(run: str) -> bool:
        # A joined run must start like the token it spells and be about as long
        # (similarity >= JOIN_MATCH_MIN bounds the length ratio): cheap checks first.
        return any(
            JOIN_MATCH_MIN * len(t) <= len(run) <= len(t) / JOIN_MATCH_MIN
            and Levenshtein.normalized_similarity(run, t) >= JOIN_MATCH_MIN
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


def compare_normalised(a: NormalisedName, b: NormalisedName) -> Comparison:
    """Compare two normalised names (see the module docstring)."""
    swapped = b.key < a.key
    if swapped:  # canonical order makes the score exactly symmetric
        a, b = b, a
    if a.is_empty or b.is_empty:
        return Comparison(0.0, a, b, (), a.tokens, b.tokens, 0.0, None, swapped)
    ta = _join_runs(list(a.tokens), b.tokens)
    tb = _join_runs(list(b.tokens), tuple(ta))
    ta = _join_runs(ta, tuple(tb))
    # Parenthesised aliases take part in the pairing but cost nothing when unmatched.
    optional = set(range(len(ta), len(ta) + len(a.qualifiers))), set(
        range(len(tb), len(tb) + len(b.qualifiers))
    )
    ta += a.qualifiers
    tb += b.qualifiers
    aligned = _align(ta, tb)
    paired_a = {i for i, _, _ in aligned}
    paired_b = {j for _, j, _ in aligned}
    unmatched_a = tuple(t for i, t in enumerate(ta) if i not in paired_a and i not in optional[0])
    unmatched_b = tuple(t for j, t in enumerate(tb) if j not in paired_b and j not in optional[1])
    pairs = tuple(TokenPair(ta[i], tb[j], s) for i, j, s in aligned)

    unmatched_weight = sum(map(token_weight, unmatched_a + unmatched_b))
    # A name made only of generic words ("Shenyang Aircraft", "China Telecom") that the
    # other name wholly contains is identified by those words: they count as distinctive.
    main_a, main_b = ta[: len(ta) - len(a.qualifiers)], tb[: len(tb) - len(b.qualifiers)]
    promoted = _generic_name_covered(main_a, unmatched_a, unmatched_b) or _generic_name_covered(
        main_b, unmatched_b, unmatched_a
    )

    def pair_weight(i: int, j: int) -> float:
        if promoted:
            return 2 * DISTINCTIVE_WEIGHT
        return token_weight(ta[i]) + token_weight(tb[j])

    matched = sum(s * pair_weight(i, j) for i, j, s in aligned)
    paired_weight = sum(pair_weight(i, j) for i, j, _ in aligned)
    token_score = matched / (paired_weight + unmatched_weight)

    score, penalty = token_score, None
    numbers_a = sorted(t for t in unmatched_a if t.isdigit())
    numbers_b = sorted(t for t in unmatched_b if t.isdigit())
    places_a = sorted(t for t in unmatched_a if is_place(t))
    places_b = sorted(t for t in unmatched_b if is_place(t))
    if numbers_a and numbers_b and score > GENERIC_ONLY_CAP:
        score = GENERIC_ONLY_CAP
        penalty = (
            f"capped at {GENERIC_ONLY_CAP:.2f}: different numbers "
            f"({' '.join(numbers_a)} / {' '.join(numbers_b)})"
        )
    elif places_a and places_b and score > GENERIC_ONLY_CAP:
        score = GENERIC_ONLY_CAP
        penalty = (
            f"capped at {GENERIC_ONLY_CAP:.2f}: different places "
            f"({' '.join(places_a)} / {' '.join(places_b)})"
        )
    elif not any(not _generic_pair(p) for p in pairs) and score > GENERIC_ONLY_CAP:
        if not promoted:
            score = GENERIC_ONLY_CAP
            penalty = (
                f"capped at {GENERIC_ONLY_CAP:.2f}: no distinctive word in common, "
                "only generic words"
            )
    return Comparison(score, a, b, pairs, unmatched_a, unmatched_b, token_score, penalty, swapped, promoted)


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
