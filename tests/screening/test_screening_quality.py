"""Quality on the labelled pairs: F1 of compare_names at DEFAULT_THRESHOLD must stay >= 0.90.

tests/screening/pairs.csv: pairs taken from the shared list files (a listed name and its
alias, or the same party's entries on two lists, as positives; different parties with
names sharing words or looking alike as negatives) plus hand-written Chinese and Cyrillic
pairs, each labelled by eye. benchmarks/screening_quality.py prints the same figures per
split and category.
"""

from __future__ import annotations

import csv
from pathlib import Path

from auditor.screening import DEFAULT_THRESHOLD, compare_names

PAIRS = Path(__file__).with_name("pairs.csv")


def _rows() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_labelled_set_is_large_and_balanced() -> None:
    rows = _rows()
    assert len(rows) >= 200
    labels = [r["label"] for r in rows]
    assert set(labels) == {"0", "1"}
    assert min(labels.count("0"), labels.count("1")) >= 100
    assert len({(r["name_a"], r["name_b"]) for r in rows}) == len(rows)


def test_f1_at_default_threshold() -> None:
    tp = fp = fn = 0
    for row in _rows():
        predicted = compare_names(row["name_a"], row["name_b"]) >= DEFAULT_THRESHOLD
        actual = row["label"] == "1"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.90, f"precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}"
