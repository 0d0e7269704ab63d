"""Building the column store that the evaluation core reads.

Each column is dictionary-encoded while rows stream in: a million rigs with a few dozen
models cost a few dozen model strings plus one small integer per row.
"""

from __future__ import annotations

from array import array
from typing import Any, Iterable, Mapping

import numpy as np

from auditor.model import CANONICAL_COLUMNS, Column, InventoryTable


class TableBuilder:
    def __init__(self, columns: Iterable[str] = CANONICAL_COLUMNS):
        self._names = tuple(columns)
        # Per column: value -> code (code 0 is None), the values list, and the codes array.
        self._index: dict[str, dict[Any, int]] = {n: {None: 0} for n in self._names}
        self._values: dict[str, list[Any]] = {n: [None] for n in self._names}
        self._codes: dict[str, array] = {n: array("I") for n in self._names}
        self._lines = array("q")
        self._sources = array("i")
        self.sources: list[str] = []

    def add_source(self, path: str) -> int:
        self.sources.append(path)
        return len(self.sources) - 1

    def append(self, row: Mapping[str, Any], line: int, source: int = 0) -> None:
        """Add one validated row (canonical column -> parsed value, missing = None)."""
        for name in self._names:
            value = row.get(name)
            index = self._index[name]
            code = index.get(value)
            if code is None:
                code = len(self._values[name])
                index[value] = code
                self._values[name].append(value)
            self._codes[name].append(code)
        self._lines.append(line)
        self._sources.append(source)

    def __len__(self) -> int:
        return len(self._lines)

    def build(self) -> InventoryTable:
        columns = {
            n: Column(self._values[n], np.frombuffer(self._codes[n], dtype=np.uint32).copy())
            if len(self._codes[n])
            else Column(self._values[n], np.empty(0, dtype=np.uint32))
            for n in self._names
        }
        lines = np.frombuffer(self._lines, dtype=np.int64).copy() if len(self._lines) else np.empty(0, np.int64)
        srcs = np.frombuffer(self._sources, dtype=np.int32).copy() if len(self._sources) else np.empty(0, np.int32)
        return InventoryTable(columns=columns, lines=lines, source_index=srcs, sources=list(self.sources))


def table_from_rows(rows: Iterable[Mapping[str, Any]], source: str = "<rows>", first_line: int = 2) -> InventoryTable:
    """A table from already-parsed rows (self-tests, unit tests)."""
    b = TableBuilder()
    b.add_source(source)
    for i, row in enumerate(rows):
        b.append(row, first_line + i)
    return b.build()
