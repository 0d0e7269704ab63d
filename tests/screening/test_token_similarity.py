"""`token_similarity` answers 0 at once for two words too far apart in length or first
letter (``tokens._too_far_apart``): that shortcut must never drop a pair the full scoring
(``tokens._similarity``) would pair. Checked on the shared lists' words, against generic
words, each other and the words sharing an index key with them (the near misses)."""

from __future__ import annotations

from itertools import combinations

from auditor.screening import Screener
from auditor.screening.normalize import normalise_name
from auditor.screening.tokens import _similarity, _too_far_apart, token_similarity
from auditor.screening.vocabulary import GENERIC_WORDS

from .conftest import industry_names


def _alphabetic_pairs(screener: Screener) -> list[tuple[str, str]]:
    listed = sorted(w for w in screener._postings if w.isalpha())
    queried = sorted({t for name in industry_names() for t in normalise_name(name).tokens if t.isalpha()})
    generic = sorted(w for w in GENERIC_WORDS if w.isalpha())
    pairs = [(g, w) for g in generic[::3] for w in listed[::40]]  # what the bounds of a screening try
    pairs += [(q, w) for q in queried[::2] for w in listed[::60]]
    pairs += list(combinations(listed[::150], 2))
    # Words indexed under one key: one letter or a transliteration apart, most of them paired.
    for words in screener._token_keys.values():
        near = [w for w in words.split(" ") if w.isalpha()]
        pairs += list(combinations(near[:6], 2))
    # Lengths at the edges of the shortcut, a joined Arabic article, four letters swapped.
    for word in listed[::25]:
        pairs += [(word, word + "a"), (word, word[:-1]), (word, word + "ab"), (word, "al" + word),
                  (word, word[1:]), (word, word[::-1])]
    return [(a, b) for a, b in pairs if a != b and a.isalpha() and b.isalpha()]  # as token_similarity asks


def test_words_told_apart_at_once_are_never_paired_by_the_full_scoring(screener: Screener) -> None:
    pairs = _alphabetic_pairs(screener)
    apart = paired = 0
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            if _too_far_apart(x, y):
                assert _similarity(x, y) == 0.0, (x, y)
                apart += 1
            else:
                paired += _similarity(x, y) > 0
            assert token_similarity(x, y) == (0.0 if _too_far_apart(x, y) else _similarity(x, y))
    # Most pairs are told apart at once, and thousands of others pair: the shortcut decides.
    assert len(pairs) > 100_000 and apart > len(pairs) and paired > 5_000
