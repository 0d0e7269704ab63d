"""Grouping rows by the distinct values of chosen columns.

This is what makes a million-rig audit cheap: a rule is evaluated once per distinct
combination of the columns it reads, and the verdict is joined back to the rows.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np

from auditor.model import InventoryTable

#: Key spaces up to this size are grouped by counting (bincount) rather than sorting.
DENSE_KEYS = 1 << 22


def group_rows(
    table: InventoryTable, columns: Sequence[str], rows: np.ndarray | None = None
) -> Iterator[tuple[tuple[Any, ...], np.ndarray]]:
    """Yield (values, row_indices) per distinct combination of `columns`, in a stable order.

    `rows` restricts grouping to a subset of row indices (ascending). Row indices in each
    group are ascending.
    """
    if rows is None:
        rows = np.arange(len(table), dtype=np.int64)
    if len(rows) == 0:
        return
    cols = [table.columns[c] for c in columns]
    if not cols:
        yield (), rows
        return
    # Combine the per-column dictionary codes into one integer key per row when the
    # product of the dictionary sizes fits in 63 bits (the usual case), else a 2-D key.
    sizes = [len(col.values) for col in cols]
    space = np.prod([float(s) for s in sizes])
    if space < 2.0**62:
        key = np.zeros(len(rows), dtype=np.int64)
        for col, size in zip(cols, sizes):
            key = key * size + col.codes[rows].astype(np.int64)
        if space <= DENSE_KEYS:
            # Few possible combinations (models x firmware x …): count instead of sorting.
            present = np.bincount(key, minlength=int(space)) > 0
            uniq_keys = np.flatnonzero(present)
            position = np.cumsum(present) - 1
            inverse = position[key]
        else:
            uniq_keys, inverse = np.unique(key, return_inverse=True)
        uniq = np.empty((len(uniq_keys), len(cols)), dtype=np.int64)
        rest = uniq_keys.copy()
        for j in range(len(cols) - 1, -1, -1):
            uniq[:, j] = rest % sizes[j]
            rest //= sizes[j]
    else:
        keys = np.empty((len(rows), len(cols)), dtype=np.uint32)
        for j, col in enumerate(cols):
            keys[:, j] = col.codes[rows]
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    # A stable sort of small integers is a radix sort in numpy: much faster than on int64.
    order = np.argsort(inverse.astype(np.uint16) if len(uniq) <= 0xFFFF else inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(uniq) + 1))
    for g in range(len(uniq)):
        members = rows[order[bounds[g] : bounds[g + 1]]]
        values = tuple(col.values[code] for col, code in zip(cols, uniq[g]))
        yield values, members
