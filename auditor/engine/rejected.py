"""Rejected rows, screened all the same: pure, no I/O.

A row rejected for one bad cell (a value of "TBD", a date no format reads) is not audited, but
the party names it holds are still names in the officer's file: a listed supplier must not
hide behind a bad date. Readers keep a rejected row's well-formed cells of the columns the
screening rules screen (`Rejected.parties`) and its serial; `with_rejected` appends one row per
such rejected row to the audited table — its party cells and serial, every other column empty —
and the evaluation runs the rules that screen names against the lists (`SCREENING_CHECKS`:
`screen`, and `affiliates`, which screens a name's owners), and only those, on the table so extended. A match is
then an ordinary finding of the rule (same screener, lists, threshold, cleared decisions,
severity and fingerprint as on an audited row), naming the rejected row's file, line and serial;
`InventoryTable.rejected_reason` tells every format that the row was rejected and why.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from auditor.model import Column, InventoryTable, Rejected

#: Check kinds that screen party names against the lists: the only rules a rejected row meets.
SCREENING_CHECKS = frozenset({"screen", "affiliates"})


def screened_rejected(rejected: Sequence[Rejected]) -> list[Rejected]:
    """The rejected rows that hold a party name to screen, in file and line order."""
    return sorted((r for r in rejected if r.parties), key=lambda r: (r.source, r.line))


def with_rejected(table: InventoryTable, rejected: Sequence[Rejected]) -> InventoryTable:
    """`table` with one row appended per rejected row holding a party name (`table` itself when
    none does). The audited rows keep their indices and codes: groups found on `table` stay valid
    on the result. Only the appended rows' distinct values are hashed, never the fleet's."""
    rows = screened_rejected(rejected)
    if not rows:
        return table
    if table.rejected_from is not None or table.observed_from is not None:
        raise ValueError("rejected rows are appended once, to the audited rows only")
    source_of = {s: i for i, s in enumerate(table.sources)}
    missing = sorted({r.source for r in rows} - set(source_of))
    if missing:
        raise ValueError(f"rejected rows of files the table does not have: {', '.join(missing)}")
    cells = [dict(r.parties) for r in rows]
    for cell, r in zip(cells, rows):
        if r.serial is not None:
            cell["serial"] = r.serial
    columns: dict[str, Column] = {}
    for name, col in table.columns.items():
        wanted = [c.get(name) for c in cells]
        if not any(v is not None for v in wanted):
            extra = np.zeros(len(rows), dtype=col.codes.dtype)
            columns[name] = Column(col.values, np.concatenate([col.codes, extra]))
            continue
        values = list(col.values)
        if name == "serial":
            # Near-unique: a rejected row's serial gets a code of its own (no serial is grouped
            # by the screen check, and hashing a million serials would cost more than the rest).
            codes = []
            for v in wanted:
                if v is None:
                    codes.append(0)
                else:
                    codes.append(len(values))
                    values.append(v)
        else:
            index: dict[object, int] = {}  # a party column: a few distinct names
            for c, v in enumerate(values):
                index.setdefault(v, c)
            codes = []
            for v in wanted:
                code = index.get(v)
                if code is None:
                    code = index[v] = len(values)
                    values.append(v)
                codes.append(code)
        columns[name] = Column(values, np.concatenate([col.codes, np.asarray(codes, dtype=col.codes.dtype)]))
    return InventoryTable(
        columns=columns,
        lines=np.concatenate([table.lines, np.asarray([r.line for r in rows], dtype=np.int64)]),
        source_index=np.concatenate([table.source_index,
                                     np.asarray([source_of[r.source] for r in rows], dtype=np.int32)]),
        sources=list(table.sources),
        source_columns=table.source_columns,
        rejected_from=len(table),
        rejected_reasons=tuple(r.reason for r in rows),
    )
