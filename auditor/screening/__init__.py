"""Screening of names against government lists: normalisation, matching, explanations.

Public API:
- `compare_names(a, b) -> float` in [0, 1] and `DEFAULT_THRESHOLD` (a match is a score at
  or above it); `explain_names(a, b)` gives the parts of that score;
- `Screener(entries).screen(name, as_of)` / `.screen_many(names, as_of)` -> `Match`es with
  explanations; `explain_match_text(match)` renders one as a paragraph;
- `load_cleared(path)` / `is_cleared(query, match, cleared)`: the reviewed file of decided
  false positives.
"""

from auditor.screening.cleared import ClearedFileError, ClearedMatch, find_clearance, is_cleared, load_cleared
from auditor.screening.match import DEFAULT_THRESHOLD, compare_names, explain_names
from auditor.screening.normalize import NormalisedName, normalise_name
from auditor.screening.screener import Match, Screener, explain_match_text

__all__ = [
    "DEFAULT_THRESHOLD",
    "ClearedFileError",
    "ClearedMatch",
    "Match",
    "NormalisedName",
    "Screener",
    "compare_names",
    "explain_match_text",
    "explain_names",
    "find_clearance",
    "is_cleared",
    "load_cleared",
    "normalise_name",
]
