"""Screening of names against government lists: normalisation, matching, explanations.

Public API: `compare_names(a, b) -> float` in [0, 1], `DEFAULT_THRESHOLD`, `explain_names`,
`Screener` / `Match` (screen names against `ListEntry` lists as of a date),
`explain_match_text`, and the reviewed false-positive file (`load_cleared`, `is_cleared`).
"""

from auditor.screening.match import DEFAULT_THRESHOLD, compare_names, explain_names
from auditor.screening.normalize import NormalisedName, normalise_name

__all__ = [
    "DEFAULT_THRESHOLD",
    "NormalisedName",
    "compare_names",
    "explain_names",
    "normalise_name",
]
