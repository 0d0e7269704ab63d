"""The fast path for large, well-formed CSV files: read into columns with pyarrow, validate per
distinct value, assemble rows with numpy.

The streaming reader (csv_reader.py) stays the definition of what a CSV inventory means.
This path takes a file only when it can prove it would read it the same way, and hands it
back (returns None, nothing written) on anything else, before a single row is added:

- UTF-8 (with or without BOM), no NUL byte, line breaks LF or CRLF (no lone CR);
- every physical line after the header is exactly one row: no blank lines and no line break
  inside a quoted cell, so row i is on line i + 2 — the exact physical line numbers;
- every quote is where Python's strict csv reader accepts it (at the start of a cell, doubled
  inside, closing before a delimiter or line end), checked with numpy over the quote positions;
- pyarrow parses every row with the header's number of cells (anything else raises, and rows
  with a wrong cell count are the streaming reader's to reject one by one).

Validation is TabularSink's own (`_code`, one call per distinct value of a column), so messages,
rejected rows and dictionary codes are those of the streaming reader; a differential test
(tests/test_columnar_csv.py) reads every CSV of the hostile-input corpus both ways.
"""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path
from typing import Any, Callable

import numpy as np

from auditor.inventory.fields import FieldError
from auditor.inventory.options import ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.inventory.tabular import TabularSink
from auditor.limits import open_regular
from auditor.model import DATE_COLUMNS, InventorySource, Rejected

#: Files smaller than this are streamed: below it the streaming reader takes well under a second.
MIN_BYTES = 8 * 1024 * 1024

# A cell a streaming read would return unchanged: printable ASCII without surrounding spaces,
# so clean_text() is the identity and raises nothing. Tested in bulk with RE2 (pyarrow).
_SIMPLE = r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$"
# A MAC already in the canonical form normalise_mac() returns.
_CANONICAL_MAC = r"^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$"
# Columns whose value is the cleaned text itself (no parsing beyond clean_text).
_TEXT_COLUMNS = frozenset({"serial", "manufacturer", "model", "firmware", "firmware_version", "chip_vendor",
                           "supplier", "site", "po_number"})

Result = tuple[InventorySource, list[Rejected], list[str]]


def read_columnar(path: str, builder: TableBuilder, delimiter: str, options: ReadOptions,
                  progress: Callable[[int], None] | None = None, min_bytes: int = MIN_BYTES) -> Result | None:
    """Read `path` into `builder` as the streaming reader would, or None (nothing added) when
    this path cannot prove it reads the file the same way."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    with open_regular(Path(path)) as fh:
        if os.fstat(fh.fileno()).st_size < min_bytes:
            return None
        data = fh.read()
    body_start, header = _header(data, delimiter)
    if header is None or b"\x00" in data:
        return None
    n_lines = data.count(b"\n", body_start) + (0 if data.endswith(b"\n") else 1)
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # lone CR: the streaming reader explains it
    if not _quotes_are_strict(data, body_start, delimiter):
        return None
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data)[body_start:],
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                             escape_char=False, newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(len(header))},
                null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    if table.num_columns != len(header) or table.num_rows != n_lines or table.num_rows == 0:
        return None  # blank lines, a line break in a cell, a short file: not one row per line
    sha = hashlib.sha256(data).hexdigest()
    del data
    sink = TabularSink(path, header, builder, options, progress, date_scan=lambda: _date_cells(table, sink))
    _add_columns(sink, table)
    return sink.finish(sha)


def _header(data: bytes, delimiter: str) -> tuple[int, list[str] | None]:
    """(offset of the first data line, header cells) — the header read by Python's csv module."""
    end = data.find(b"\n")
    if end < 0:
        return 0, None
    raw = data[:end].rstrip(b"\r")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
        cells = next(csv.reader([text], strict=True, delimiter=delimiter), None)
    except (UnicodeDecodeError, csv.Error):
        return 0, None
    if not cells or b'"' in raw and text.count('"') % 2:
        return 0, None
    return end + 1, cells


def _quotes_are_strict(data: bytes, start: int, delimiter: str) -> bool:
    """Every quote of data[start:] is one Python's strict csv reader accepts, read the same way.

    Runs of adjacent quotes flip "inside a quoted cell" exactly when their length is odd,
    whatever the state before (open + pairs, or pairs + close), so the state before each run
    is a running parity. A run met outside a cell must start the cell; a run that leaves the
    cell must be followed by the delimiter, a line break or the end of the file.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    chunks = []
    for lo in range(start, len(buf), 1 << 24):
        hits = np.flatnonzero(buf[lo:lo + (1 << 24)] == 0x22)
        if len(hits):
            chunks.append(hits + lo)
    if not chunks:
        return True
    q = np.concatenate(chunks)
    run_start = np.concatenate(([True], np.diff(q) != 1))
    starts = q[run_start]
    lengths = np.diff(np.concatenate((np.flatnonzero(run_start), [len(q)])))
    odd = lengths & 1
    inside_before = (np.cumsum(odd) - odd) & 1
    inside_after = inside_before ^ odd
    if inside_after[-1]:
        return False  # unterminated quoted cell
    boundary = np.frombuffer(b"\n\r" + delimiter.encode(), dtype=np.uint8)
    opening = inside_before == 0
    before = buf[starts[opening] - 1]
    if not np.isin(before, boundary).all():
        return False  # a quote inside an unquoted cell
    closing = (inside_after == 0) & ((inside_before == 1) | (lengths >= 2))
    ends = starts[closing] + lengths[closing]
    after = buf[ends[ends < len(buf)]]
    return bool(np.isin(after, boundary).all())


def _date_cells(table: Any, sink: TabularSink):
    """(line, cell) of every date column, row by row: DateColumns' look through the file."""
    positions = [i for i, c in sink.mapping if c in DATE_COLUMNS]
    columns = [table.column(i).to_pylist() for i in positions]
    for row, cells in enumerate(zip(*columns)):
        for cell in cells:
            yield row + 2, cell


class _Column:
    """One inventory column of the pyarrow table: distinct raw cells, and per row which one."""

    def __init__(self, j: int, pos: int, chunked: Any):
        enc = chunked.dictionary_encode().combine_chunks()
        self.j, self.pos = j, pos
        self.dictionary = enc.dictionary
        self.values: list[Any] = enc.dictionary.to_pylist()
        self.rows = enc.indices.to_numpy(zero_copy_only=False)  # row -> index into values
        self.codes = np.zeros(len(self.values), dtype=np.int64)  # value -> dictionary code, -1: error
        self.errors: dict[int, FieldError] = {}  # value index -> why the cell is rejected

    def store(self, d: int, code: int | FieldError) -> None:
        if code.__class__ is int:
            self.codes[d] = code
        else:
            self.codes[d] = -1
            self.errors[d] = code  # type: ignore[assignment]

    def first_rows(self) -> np.ndarray:
        """Per distinct value, the first row holding it."""
        first = np.empty(len(self.values), dtype=np.int64)
        uniq, at = np.unique(self.rows, return_index=True)
        first[uniq] = at
        return first


def _add_columns(sink: TabularSink, table: Any) -> None:
    """Every row of `table` into sink's writer or its rejected rows, exactly as sink.add would."""
    import pyarrow.compute as pc

    n = table.num_rows
    cols = [_Column(j, pos, table.column(pos)) for j, pos in enumerate(sink.positions)]
    # Dates in the order a streaming read meets them (row, then column): DateColumns decides the
    # day/month order from the first value only one order can read, and names its line.
    dated = [c for c in cols if c.pos in sink.date_cols]
    firsts = sorted((int(row), c.j, d) for c in dated for d, row in enumerate(c.first_rows().tolist()))
    for row, j, d in firsts:
        c = cols[j]
        c.store(d, sink._code(j, c.pos, c.values[d], row + 2))
    for c in cols:
        if c in dated:
            continue
        column = sink.columns[c.j]
        pattern = _SIMPLE if column in _TEXT_COLUMNS else _CANONICAL_MAC if column == "mac" else None
        if pattern is not None and len(c.values) > 1000:
            # Near-unique columns: the cells a streaming read keeps as they are get their codes
            # in bulk; only the others go through validation one by one.
            plain = pc.match_substring_regex(c.dictionary, pattern).to_numpy(zero_copy_only=False)
            index = sink.writer.indexes[c.j]
            if plain.all() and index.keys().isdisjoint(c.values):
                # Every distinct cell is new and kept as it is: codes in order, one dict update.
                start = len(index)
                index.update(zip(c.values, range(start, start + len(c.values))))
                c.codes[:] = np.arange(start, start + len(c.values))
                continue
            for d, value in enumerate(c.values):
                if plain[d]:
                    c.codes[d] = index.setdefault(value, len(index))
                else:
                    c.store(d, sink._code(c.j, c.pos, value, 0))
        else:
            for d, value in enumerate(c.values):
                c.store(d, sink._code(c.j, c.pos, value, 0))  # the line only matters for dates
    codes = np.empty((n, len(cols)), dtype=np.int64)
    for c in cols:
        codes[:, c.j] = c.codes[c.rows]
    model_empty = codes[:, sink.model_pos] == 0
    bad = (codes < 0).any(axis=1) | model_empty
    for row in np.flatnonzero(bad).tolist():
        found = [c.errors[int(c.rows[row])] for c in cols if codes[row, c.j] < 0]
        if model_empty[row] and not any(e.column == "model" for e in found):
            found.append(FieldError("model", "model is empty (required)"))
        reason = found[0].reason if len(found) == 1 else "; ".join(str(e) for e in found)
        sink.rejected.append(Rejected(sink.path, row + 2, reason, found[0].column))
    good = ~bad
    sink.rows_read += n
    sink.rows_audited += int(good.sum())
    sink.writer.add_block(codes[good].astype(np.uint32), np.arange(2, n + 2, dtype=np.int64)[good])
    if sink.progress:
        sink.progress(sink.rows_read)


