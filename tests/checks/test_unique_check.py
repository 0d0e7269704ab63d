"""The unique check's case-folding (DQ-002: serials compared ignoring case).

Near-unique columns (a million serials) are folded in bulk with pyarrow; these tests hold the
bulk path to Python's own str.casefold, which decides which values are the same serial.
"""

from __future__ import annotations

import random

from auditor.engine.checks.unique import casefold_codes


def reference(values):
    """The first code whose value case-folds to the same text, by str.casefold; 0 for None."""
    first: dict[str, int] = {}
    return [0 if v is None else first.setdefault(v.casefold(), code) for code, v in enumerate(values)]


def test_serials_differing_only_in_case_share_the_code_of_the_first_seen():
    values = [None, "ab-12", "x9", "AB-12", "Ab-12", "X9", "q"]
    assert casefold_codes(values).tolist() == [0, 1, 2, 1, 1, 2, 6]


def test_non_ascii_values_fold_as_python_folds_them():
    # German sharp s folds to "ss"; lower-casing alone would keep "ß" apart from "SS".
    values = [None, "STRASSE-1", "straße-1", "Straße-1", "ẞ1", "ss1"]
    assert casefold_codes(values).tolist() == reference(values) == [0, 1, 1, 1, 4, 4]


def test_bulk_folding_equals_str_casefold_on_random_ascii_values():
    rnd = random.Random(15)
    for _ in range(200):
        alphabet = rnd.choice(["aAbB", "aAbB1-", "xXyYzZ09 "])
        cells = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 4))) for _ in range(rnd.randint(0, 60))]
        values = [None, *dict.fromkeys(cells)]  # distinct values, as a column's dictionary holds them
        assert casefold_codes(values).tolist() == reference(values), values
