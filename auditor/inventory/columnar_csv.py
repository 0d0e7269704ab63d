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
(tests/test_columnar_csv.py) reads a corpus of well-formed, defective and hostile files both
ways and requires the same table, line numbers, rejected rows and warnings.
"""

from __future__ import annotations

import csv
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import numpy as np

from auditor.inventory.fields import DEFAULT_MAX_LEN, MAX_LEN, FieldError
from auditor.inventory.options import ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.inventory.tabular import TabularSink
from auditor.limits import open_regular
from auditor.model import InventorySource, Rejected

#: Files smaller than this are streamed: below it the streaming reader takes well under a second.
MIN_BYTES = 8 * 1024 * 1024

# A cell a streaming read would return unchanged: printable ASCII without surrounding spaces
# and within the column's length limit, so clean_text() is the identity and raises nothing.
# Tested in bulk with RE2 (pyarrow).
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
        scanned = _scan(fh, delimiter)
    if scanned is None:
        return None
    sha, header, n_lines = scanned
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=1, autogenerate_column_names=True, block_size=_ARROW_BLOCK),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                             escape_char=False, newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                # Dictionary-encoded while parsing, on every core: validation works per distinct value.
                column_types={f"f{i}": pa.dictionary(pa.int32(), pa.string()) for i in range(len(header))},
                null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError, OSError):
        return None
    if table.num_columns != len(header) or table.num_rows != n_lines or table.num_rows == 0:
        return None  # blank lines, a line break in a cell, a short file: not one row per line
    sink = TabularSink(path, header, builder, options, progress)
    # One dictionary per column across the parse blocks, in file order (first occurrence first).
    columns = table.unify_dictionaries().columns  # each column is let go as soon as it is coded
    del table
    _add_columns(sink, columns)
    return sink.finish(sha)


#: Bytes read at a time by the pre-read scan (cut at line ends, so a line is never split).
_BLOCK = 1 << 24
#: Bytes pyarrow parses at a time (in parallel); each block gets its own dictionaries, unified after.
_ARROW_BLOCK = 1 << 24


def _scan(fh: Any, delimiter: str) -> tuple[str, list[str], int] | None:
    """One pass over the file in blocks: (SHA-256, header cells, lines after the header), or None
    when a byte is one this path cannot prove it reads as the streaming reader does."""
    from auditor.inventory.csv_reader import LINE_MAX_BYTES  # (csv_reader imports this module)

    sha = hashlib.sha256()
    header: list[str] | None = None
    lines = 0
    carry = b""
    with ThreadPoolExecutor(1) as hasher:  # hashlib lets go of the GIL: hash while checking
        hashed = hasher.submit(sha.update, b"")
        while True:
            block = fh.read(_BLOCK)
            hashed.result()  # blocks are hashed in file order
            hashed = hasher.submit(sha.update, block)
            scanned = _check(block, carry, header, delimiter, LINE_MAX_BYTES)
            if scanned is None:
                return None
            carry, header, n = scanned
            lines += n
            if not block:
                hashed.result()
                assert header is not None
                return sha.hexdigest(), header, lines


def _check(block: bytes, carry: bytes, header: list[str] | None, delimiter: str,
           line_max: int) -> tuple[bytes, list[str] | None, int] | None:
    """The complete lines of carry + block checked: (what is left over, header, lines counted)."""
    data = carry + block
    cut = data.rfind(b"\n") + 1 if block else len(data)
    if block and cut == 0:
        if len(data) > line_max:
            return None  # the streaming reader says which line is too long
        return data, header, 0
    piece, carry = data[:cut], data[cut:]
    if header is None:
        end = piece.find(b"\n")
        header = _header(piece[:end] if end >= 0 else piece, delimiter)
        if header is None:
            return None
        piece = piece[end + 1:] if end >= 0 else b""
    lone_cr = b"\r" in piece and piece.count(b"\r") != piece.count(b"\r\n")
    if b"\x00" in piece or lone_cr or not _quotes_are_strict(piece, delimiter):
        return None  # NUL, a lone CR, or quoting the strict reader reads differently or refuses
    return carry, header, piece.count(b"\n") + (0 if not piece or piece.endswith(b"\n") else 1)


def _header(raw: bytes, delimiter: str) -> list[str] | None:
    """The header cells as Python's csv module reads the first line, or None."""
    raw = raw.rstrip(b"\r")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
        cells = next(csv.reader([text], strict=True, delimiter=delimiter), None)
    except (UnicodeDecodeError, csv.Error):
        return None
    if not cells or text.count('"') % 2:
        return None
    return cells


def _quotes_are_strict(piece: bytes, delimiter: str) -> bool:
    """Every quote of `piece` (whole lines) is one Python's strict csv reader accepts, read the
    same way, and no quoted cell runs past the piece's last line break.

    Runs of adjacent quotes flip "inside a quoted cell" exactly when their length is odd,
    whatever the state before (open + pairs, or pairs + close), so the state before each run
    is a running parity. A run met outside a cell must start the cell; a run that leaves the
    cell must be followed by the delimiter, a line break or the end of the file.
    """
    buf = np.frombuffer(b"\n" + piece, dtype=np.uint8)  # the line break before the piece
    q = np.flatnonzero(buf == 0x22)
    if not len(q):
        return True
    run_start = np.concatenate(([True], np.diff(q) != 1))
    starts = q[run_start]
    lengths = np.diff(np.concatenate((np.flatnonzero(run_start), [len(q)])))
    odd = lengths & 1
    inside_before = (np.cumsum(odd) - odd) & 1
    inside_after = inside_before ^ odd
    if inside_after[-1]:
        return False  # a quoted cell still open at the end: unterminated, or spanning lines
    boundary = np.frombuffer(b"\n\r" + delimiter.encode(), dtype=np.uint8)
    before = buf[starts[inside_before == 0] - 1]
    if not np.isin(before, boundary).all():
        return False  # a quote inside an unquoted cell
    closing = (inside_after == 0) & ((inside_before == 1) | (lengths >= 2))
    ends = starts[closing] + lengths[closing]
    after = buf[ends[ends < len(buf)]]
    return bool(np.isin(after, boundary).all())


class _Column:
    """One inventory column of the pyarrow table: distinct raw cells, and per row which one."""

    def __init__(self, j: int, pos: int, chunked: Any):
        enc = chunked.combine_chunks()  # a DictionaryArray (parsed so, dictionaries unified)
        self.j, self.pos = j, pos
        self.dictionary = enc.dictionary
        self.values: list[Any] = enc.dictionary.to_pylist()
        self.rows = enc.indices.to_numpy(zero_copy_only=False)  # row -> index into values
        self.codes = np.zeros(len(self.values), dtype=np.int32)  # value -> dictionary code, -1: error
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


def _add_columns(sink: TabularSink, columns: list[Any]) -> None:
    """Every row of the parsed `columns` (in file order) into sink's writer or its rejected rows,
    exactly as sink.add would.

    One column at a time (the date columns together), so that only one column's distinct
    values are held as Python objects at once: a million serials, not fifteen columns of them.
    """
    import pyarrow as pa

    n = len(columns[0])
    codes = np.empty((n, len(sink.positions)), dtype=np.int32)  # -1: the cell is rejected
    errors: dict[int, tuple[np.ndarray, dict[int, FieldError]]] = {}  # column -> (row -> value, errors)
    dated = [_Column(j, pos, columns[pos]) for j, pos in enumerate(sink.positions) if pos in sink.date_cols]
    _dates(sink, dated)
    for j, pos in enumerate(sink.positions):
        c = next((d for d in dated if d.j == j), None) or _codes(sink, _Column(j, pos, columns[pos]))
        columns[pos] = None  # its cells are coded: the parsed text can go
        codes[:, j] = c.codes[c.rows]
        if c.errors:
            errors[j] = (c.rows, c.errors)
        big = len(c.values) > 10_000
        del c
        if big:  # a near-unique column (serials, MACs): give its memory back, not only to pyarrow's pool
            pa.default_memory_pool().release_unused()
    del dated
    model_empty = codes[:, sink.model_pos] == 0
    bad = (codes < 0).any(axis=1) | model_empty
    for row in np.flatnonzero(bad).tolist():
        found = [errors[j][1][int(errors[j][0][row])] for j in range(codes.shape[1]) if codes[row, j] < 0]
        if model_empty[row] and not any(e.column == "model" for e in found):
            found.append(FieldError("model", "model is empty (required)"))
        reason = found[0].reason if len(found) == 1 else "; ".join(str(e) for e in found)
        # Its party names and serial, from their codes (the raw cells are gone): well-formed
        # cells only, as the streaming reader keeps them (TabularSink.add).
        kept = [(c, sink.writer.value(j, int(codes[row, j]))) for j, c in sink.kept if codes[row, j] >= 0]
        sink.rejected.append(sink.reject(row + 2, reason, found[0].column, kept))
    good = ~bad
    sink.rows_read += n
    sink.rows_audited += int(good.sum())
    lines = np.arange(2, n + 2, dtype=np.int64)
    sink.writer.add_block(codes[good] if bad.any() else codes, lines[good] if bad.any() else lines)
    if sink.progress:
        sink.progress(sink.rows_read)


def _dates(sink: TabularSink, dated: list[_Column]) -> None:
    """Date cells in the order a streaming read meets them (row, then column): DateColumns
    decides the day/month order from the first value only one order can read, names its line,
    and on an ambiguous file looks through every date (the `scan` below)."""

    def scan():
        for row in range(len(dated[0].rows) if dated else 0):
            for c in dated:
                yield row + 2, c.values[c.rows[row]]

    sink.date_scan = scan
    firsts = sorted((int(row), k, d) for k, c in enumerate(dated) for d, row in enumerate(c.first_rows().tolist()))
    for row, k, d in firsts:
        c = dated[k]
        c.store(d, sink._code(c.j, c.pos, c.values[d], row + 2))
    sink.date_scan = None


def _codes(sink: TabularSink, c: _Column) -> _Column:
    """Dictionary codes (or errors) of a column's distinct cells, as TabularSink._code gives them."""
    import pyarrow.compute as pc

    column = sink.columns[c.j]
    pattern = _SIMPLE if column in _TEXT_COLUMNS else _CANONICAL_MAC if column == "mac" else None
    if pattern is not None and len(c.values) > 1000:
        # Near-unique columns (serials, MACs): cells a streaming read keeps as they are get their
        # codes in bulk; only the others go through validation one by one.
        limit = MAX_LEN.get(column, DEFAULT_MAX_LEN)
        plain = pc.and_(pc.match_substring_regex(c.dictionary, pattern),
                        pc.less_equal(pc.utf8_length(c.dictionary), limit)).to_numpy(zero_copy_only=False)
        index = sink.writer.indexes[c.j]
        if plain.all() and index.keys().isdisjoint(c.values):
            # Every distinct cell is new and kept as it is: codes in order.
            start = sink.writer.append_new(c.j, c.values)
            c.codes[:] = np.arange(start, start + len(c.values))
            return c
        if plain.all():  # kept as they are, some seen in an earlier block: the same codes, one list
            c.codes[:] = [index.setdefault(value, len(index)) for value in c.values]
            return c
        for d, value in enumerate(c.values):
            if plain[d]:
                c.codes[d] = index.setdefault(value, len(index))
            else:
                c.store(d, sink._code(c.j, c.pos, value, 0))
        return c
    for d, value in enumerate(c.values):
        c.store(d, sink._code(c.j, c.pos, value, 0))  # the line only matters for dates
    return c
