"""Building the column store that the evaluation core reads.

Each column is dictionary-encoded while rows stream in: a million rigs with a few dozen
models cost a few dozen model strings plus one small integer per row. Rows are buffered
row-major as integer codes and transposed with numpy once per source file, which keeps
the per-row Python work to one `extend` call.
"""

from __future__ import annotations

from array import array
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from auditor.model import CANONICAL_COLUMNS, Column, InventoryTable


class SourceWriter:
    """Appends the rows of one input file; `columns` are the canonical columns it has."""

    def __init__(self, builder: "TableBuilder", index: int, columns: Sequence[str]):
        self.builder = builder
        self.index = index
        self.columns = tuple(columns)
        builder._complete_indexes()  # code() looks values up in these dicts as they are
        self.indexes = [builder._index[c] for c in self.columns]
        self._buf = array("I")
        self._lines = array("q")
        self._blocks: list[tuple[np.ndarray, np.ndarray]] = []  # (codes n x k, lines) from add_block
        self._values: dict[int, list[Any]] = {}  # position -> its values by code (`value`)

    def code(self, position: int, value: Any) -> int:
        """Dictionary code of `value` in the column at `position` (0 is None)."""
        idx = self.indexes[position]
        return idx.setdefault(value, len(idx))

    def value(self, position: int, code: int) -> Any:
        """The value `code` stands for in the column at `position`: the reverse of `code`, for
        the rare row that needs it (a rejected row's party names, after the columnar reader
        has let its raw cells go). The column's values are listed once, again only when a
        code newer than the list is asked for."""
        index = self.indexes[position]
        if code >= len(index):
            return self.builder._appended[self.columns[position]][code - len(index)]
        listed = self._values.get(position)
        if listed is None or code >= len(listed):
            listed = self._values[position] = list(index)
        return listed[code]

    def append_new(self, position: int, values: list[Any]) -> int:
        """Codes for `values`, none of them in the column yet and all distinct: the next ones, in
        order; returns the first. The columnar reader's near-unique columns (a million serials,
        a million MACs) are appended so; their value -> code entries are added to the column's
        dict only when another file needs them (hashing a million strings costs 0.4 s)."""
        name = self.columns[position]
        start = len(self.indexes[position]) + len(self.builder._appended[name])
        self.builder._appended[name].extend(values)
        return start

    def add(self, codes: Sequence[int], line: int) -> None:
        self._buf.extend(codes)
        self._lines.append(line)

    def add_block(self, codes: np.ndarray, lines: np.ndarray) -> None:
        """Many rows at once (the columnar reader): codes is rows x columns, in file order."""
        self._flush()
        self._blocks.append((np.ascontiguousarray(codes, dtype=np.uint32).reshape(len(lines), len(self.columns)),
                             np.asarray(lines, dtype=np.int64)))

    def _flush(self) -> None:
        """Rows added one by one so far become a block, keeping every row in the order added."""
        if self._lines:
            k = len(self.columns)
            self._blocks.append((np.frombuffer(self._buf, dtype=np.uint32).reshape(len(self._lines), k).copy(),
                                 np.frombuffer(self._lines, dtype=np.int64).copy()))
            self._buf = array("I")
            self._lines = array("q")

    def add_row(self, row: Mapping[str, Any], line: int) -> None:
        self.add([self.code(i, row.get(c)) for i, c in enumerate(self.columns)], line)

    def close(self) -> None:
        self._flush()
        k = len(self.columns)
        blocks = self._blocks
        codes = np.concatenate([b for b, _ in blocks]) if blocks else np.empty((0, k), np.uint32)
        lines = np.concatenate([ln for _, ln in blocks]) if blocks else np.empty(0, np.int64)
        n = len(lines)
        position = {c: j for j, c in enumerate(self.columns)}
        for name in self.builder._names:
            j = position.get(name)
            chunk = codes[:, j].copy() if j is not None else np.zeros(n, dtype=np.uint32)
            self.builder._chunks[name].append(chunk)
        self.builder._line_chunks.append(lines)
        self.builder._source_chunks.append(np.full(n, self.index, dtype=np.int32))
        self.builder._rows += n
        self._blocks = []

    def __len__(self) -> int:
        return len(self._lines) + sum(len(ln) for _, ln in self._blocks)


class TableBuilder:
    def __init__(self, columns: Iterable[str] = CANONICAL_COLUMNS):
        self._names = tuple(columns)
        # Per column: value -> code, in insertion order (so list(index) is the values list).
        self._index: dict[str, dict[Any, int]] = {n: {None: 0} for n in self._names}
        # Values coded after those in _index (SourceWriter.append_new), not yet in its dict.
        self._appended: dict[str, list[Any]] = {n: [] for n in self._names}
        self._chunks: dict[str, list[np.ndarray]] = {n: [] for n in self._names}
        self._line_chunks: list[np.ndarray] = []
        self._source_chunks: list[np.ndarray] = []
        self._rows = 0
        self.sources: list[str] = []
        self.source_columns: list[frozenset[str]] = []  # readers narrow this to the columns a file has

    def open_source(self, path: str, columns: Sequence[str] | None = None) -> SourceWriter:
        self.sources.append(path)
        self.source_columns.append(frozenset(columns if columns is not None else self._names))
        return SourceWriter(self, len(self.sources) - 1, columns if columns is not None else self._names)

    def __len__(self) -> int:
        return self._rows

    def _complete_indexes(self) -> None:
        for name, values in self._appended.items():
            if values:
                index = self._index[name]
                index.update(zip(values, range(len(index), len(index) + len(values))))
                values.clear()

    def build(self) -> InventoryTable:
        def cat(chunks, dtype):
            return np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)

        columns = {n: Column([*self._index[n], *self._appended[n]], cat(self._chunks[n], np.uint32))
                   for n in self._names}
        return InventoryTable(
            columns=columns,
            lines=cat(self._line_chunks, np.int64),
            source_index=cat(self._source_chunks, np.int32),
            sources=list(self.sources),
            source_columns=list(self.source_columns),
        )


def table_from_rows(rows: Iterable[Mapping[str, Any]], source: str = "<rows>", first_line: int = 2) -> InventoryTable:
    """A table from already-parsed rows (self-tests, unit tests)."""
    rows = list(rows)
    b = TableBuilder()
    w = b.open_source(source)
    # The columns "in the file" are the keys the rows give (a self-test row may name a column
    # and leave it blank).
    b.source_columns[-1] = frozenset(k for r in rows for k in r)
    for i, row in enumerate(rows):
        w.add_row(row, first_line + i)
    w.close()
    return b.build()
