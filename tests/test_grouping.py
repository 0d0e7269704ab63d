"""Grouping rows by distinct values: counting (small key spaces) and sorting give the same groups."""

from __future__ import annotations

import random

import pytest

from auditor.engine import grouping
from auditor.inventory.table import table_from_rows


def groups(table, columns, rows=None):
    return [(values, members.tolist()) for values, members in grouping.group_rows(table, columns, rows)]


@pytest.mark.parametrize("columns", [["model"], ["model", "firmware"], ["model", "firmware", "supplier"], ["serial"]])
def test_counting_and_sorting_give_the_same_groups_in_the_same_order(monkeypatch, columns):
    rnd = random.Random(7)
    rows = [{"serial": f"S{rnd.randrange(3000)}", "model": rnd.choice(["S19", "S21", "M50", None]),
             "firmware": rnd.choice(["stock", "braiins", None]), "supplier": rnd.choice(["A", "B", "C"])}
            for _ in range(5000)]
    table = table_from_rows(rows)
    subset = sorted(rnd.sample(range(5000), 1200))
    import numpy as np

    dense = (groups(table, columns), groups(table, columns, np.array(subset, dtype=np.int64)))
    monkeypatch.setattr(grouping, "DENSE_KEYS", 0)
    sorted_ = (groups(table, columns), groups(table, columns, np.array(subset, dtype=np.int64)))
    assert dense == sorted_
    everyone = sorted(i for _, members in dense[0] for i in members)
    assert everyone == list(range(5000))  # every row in exactly one group
    for values, members in dense[0]:
        assert all(tuple(rows[i][c] for c in columns) == values for i in members)
