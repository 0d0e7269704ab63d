"""CSV inventories: streamed, strictly decoded, every row audited or rejected with its line.

Line numbers are physical: a row whose quoted cell spans three lines starts on the line
where its first cell starts, and the next row's number accounts for all three.
"""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path
from typing import Callable, Iterator

from auditor.filekind import binary_content
from auditor.inventory import columnar_csv
from auditor.inventory.aliases import HeaderMap
from auditor.inventory.errors import InventoryError, check_input
from auditor.inventory.options import DEFAULT, ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.inventory.tabular import TabularSink
from auditor.limits import human_size, open_regular
from auditor.model import DATE_COLUMNS, InventorySource, Rejected

# A cell may be long (we reject it with a clear reason), but a runaway quote must not
# swallow gigabytes before failing.
FIELD_SIZE_LIMIT = 16 * 1024 * 1024

# One physical line: a multi-line quoted cell is several lines, each bounded, within FIELD_SIZE_LIMIT.
LINE_MAX_BYTES = FIELD_SIZE_LIMIT + 1024 * 1024

csv.field_size_limit(FIELD_SIZE_LIMIT)


class _HashingLines:
    """Iterates decoded lines of a binary file while hashing every byte read."""

    def __init__(self, path: str, fh, sha):
        self.path, self.fh, self.sha = path, fh, sha
        self.lineno = 0

    def __iter__(self) -> Iterator[str]:
        while True:
            # Bounded reads: a file without line breaks (or with CR-only ones) is not one
            # multi-gigabyte line in memory.
            raw = self.fh.readline(LINE_MAX_BYTES + 1)
            if not raw:
                return
            self.sha.update(raw)
            self.lineno += 1
            if len(raw) > LINE_MAX_BYTES:
                raise InventoryError(self.path, f"line is longer than {human_size(LINE_MAX_BYTES)}"
                                     + _CR_HINT * (b"\r" in raw), self.lineno)
            if self.lineno == 1:
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
            nul = raw.find(b"\x00")
            if nul >= 0:
                raise InventoryError(
                    self.path, "binary file: contains NUL bytes, not a CSV inventory", self.lineno, nul + 1
                )
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                col = len(raw[: exc.start].decode("utf-8", errors="replace")) + 1
                hint = " (it looks like Windows-1252/Latin-1: give --encoding cp1252)" if 0x80 <= raw[exc.start] <= 0xFF else ""
                raise InventoryError(
                    self.path,
                    f"not valid UTF-8: byte 0x{raw[exc.start]:02x}{hint}; save the file as UTF-8",
                    self.lineno,
                    col,
                ) from None


def read_csv(
    path: str,
    builder: TableBuilder,
    progress: Callable[[int], None] | None = None,
    options: ReadOptions = DEFAULT,
) -> tuple[InventorySource, list[Rejected], list[str]]:
    """Stream `path` into `builder`. Fatal problems raise InventoryError (exit 2)."""
    check_input(path, "a CSV file")
    p = Path(path)
    try:
        fh = open_regular(p)
    except OSError as exc:
        raise InventoryError(path, f"cannot open: {exc.strerror}") from None
    with fh:
        head = fh.read(65536)
        encoding = _encoding(path, head, options.encoding)
        # Excel's "sep=;" first line names the delimiter and is not the header.
        declared = excel_separator(_first_line(head, encoding))
        delimiter = declared or _delimiter(path, head, encoding, options)
        if not declared and encoding == "utf-8" and os.fstat(fh.fileno()).st_size >= columnar_csv.MIN_BYTES:
            # Large files: columns with pyarrow, when it can prove it reads the file as we do.
            fast = columnar_csv.read_columnar(path, builder, delimiter, options, progress)
            if fast is not None:
                return _with_delimiter_note(path, delimiter, fast)
        fh.seek(0)
        sha = hashlib.sha256()
        reader, lines = _records(path, fh, sha, encoding, delimiter)
        try:
            if declared:
                next(reader, None)
            header = next(reader, None)
        except csv.Error as exc:
            raise InventoryError(path, f"malformed CSV header: {_csv_reason(exc)}", 1) from None
        if header is None or not any(h.strip() for h in header):
            raise InventoryError(path, "empty file: expected a header row naming the columns", 1)

        def date_scan():
            # Only when every date so far reads both ways (9/4/2024): a second, read-only pass.
            with open_regular(p) as again:
                r2, _ = _records(path, again, hashlib.sha256(), encoding, delimiter)
                for _ in range(2 if declared else 1):
                    next(r2, None)
                positions = [i for i, c in sink.mapping if c in DATE_COLUMNS]
                start2 = r2.line_num + 1
                for rec in r2:
                    line2, start2 = start2, r2.line_num + 1
                    for i in positions:
                        if i < len(rec):
                            yield line2, rec[i]

        sink = TabularSink(path, header, builder, options, progress, date_scan=date_scan)
        start = reader.line_num + 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise InventoryError(path, f"malformed CSV: {_csv_reason(exc)}", start) from None
            line, start = start, reader.line_num + 1
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line: not a row
            sink.add(record, line)
    return _with_delimiter_note(path, delimiter, sink.finish(sha.hexdigest()))


def _with_delimiter_note(path: str, delimiter: str, read: tuple[InventorySource, list[Rejected], list[str]]):
    info, rejected, warnings = read
    if delimiter != ",":
        warnings.append(f"{path}: read with {_DELIMITER_NAMES[delimiter]} as the delimiter")
    return info, rejected, warnings


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _encoding(path: str, head: bytes, given: str | None) -> str:
    """utf-8 unless the file starts with a UTF-16 byte-order mark or the officer names one."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the BOM says which byte order
    if given:
        import codecs

        try:
            return codecs.lookup(given).name
        except LookupError:
            raise InventoryError(path, f"--encoding {given!r}: unknown encoding (e.g. cp1252, latin-1, utf-16)") from None
    _sniff(path, head)
    return "utf-8"


def _records(path: str, fh, sha, encoding: str, delimiter: str):
    lines = _HashingLines(path, fh, sha) if encoding == "utf-8" else _DecodedLines(path, fh, sha, encoding)
    return csv.reader(lines, strict=True, delimiter=delimiter), lines


def _first_line(head: bytes, encoding: str) -> str:
    try:
        text = head.decode(encoding, errors="ignore")
    except LookupError:
        return ""
    return text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""


def _delimiter(path: str, head: bytes, encoding: str, options: ReadOptions) -> str:
    """The delimiter among , ; tab | under which the header names the most known columns."""
    first = _first_line(head, encoding)
    hmap = HeaderMap(options.column_map)
    ranked = rank_delimiters(first, lambda cell: hmap.column(cell) is not None)
    if not ranked:
        return ","
    best, (known, n) = ranked[0]
    if known == 0:
        return ","  # no known header under any delimiter: the header check explains
    tied = delimiter_tie(ranked)
    if tied:
        raise InventoryError(path, tied, 1)
    return best


def rank_delimiters(header_line: str, known: Callable[[str], bool]) -> list[tuple[str, tuple[int, int]]]:
    """The delimiters , ; tab | ranked by the cells of `header_line` they give that `known`
    accepts, then by the number of cells: the best first. Shared by the inventory reader
    (known = a column it reads) and `screen --file` (known = the column asked for)."""
    scores = {}
    for d in _DELIMITER_NAMES:
        try:
            cells = next(csv.reader([header_line], delimiter=d), [])
        except csv.Error:
            continue
        scores[d] = (sum(1 for c in cells if known(c)), len(cells))
    return sorted(scores.items(), key=lambda kv: kv[1], reverse=True)


def delimiter_tie(ranked: list[tuple[str, tuple[int, int]]]) -> str | None:
    """Why the delimiter cannot be told (the two best read the header alike), or None."""
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return (f"cannot tell the delimiter: the header reads the same with {_DELIMITER_NAMES[ranked[0][0]]} and "
                f"{_DELIMITER_NAMES[ranked[1][0]]}; save the file as comma-separated (CSV UTF-8)")
    return None


def excel_separator(first_line: str) -> str | None:
    """The delimiter an Excel `sep=;` first line declares (a line Excel writes and reads, not a
    header), or None when the line is not one."""
    line = first_line.lstrip("\ufeff").rstrip("\r\n")
    if len(line) == 5 and line[:4].casefold() == "sep=" and line[4] in _DELIMITER_NAMES:
        return line[4]
    return None


class _DecodedLines:
    """Lines of a file in a declared or BOM-marked encoding (UTF-16, cp1252 …), hashed as read."""

    def __init__(self, path: str, fh, sha, encoding: str):
        self.path, self.fh, self.sha, self.encoding = path, fh, sha, encoding
        self.lineno = 0

    def __iter__(self) -> Iterator[str]:
        import codecs

        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        pending = ""
        while True:
            chunk = self.fh.read(1 << 16)
            self.sha.update(chunk)
            try:
                text = pending + decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise InventoryError(self.path, f"not valid {self.encoding}: {exc.reason}; check --encoding",
                                     self.lineno + 1) from None
            if self.lineno == 0:
                text = text.lstrip("\ufeff")
            parts = text.splitlines(keepends=True)
            pending = parts.pop() if parts and not parts[-1].endswith(("\n", "\r")) else ""
            if len(pending) > LINE_MAX_BYTES:
                raise InventoryError(self.path, f"line is longer than {human_size(LINE_MAX_BYTES)}", self.lineno + 1)
            for part in parts:
                if "\x00" in part:
                    raise InventoryError(self.path, "contains NUL characters, not a CSV inventory", self.lineno + 1)
                self.lineno += 1
                yield part
            if not chunk:
                if pending:
                    self.lineno += 1
                    yield pending
                return


_CR_HINT = "; it uses carriage returns (CR) alone as line breaks: save it with LF or CRLF line breaks"


def _csv_reason(exc: csv.Error) -> str:
    """Python's csv messages, in our words where they give Python advice (universal newlines)."""
    if "new-line character seen in unquoted field" in str(exc):
        return ("a carriage return (CR) inside an unquoted cell: the file uses CR-only line breaks "
                "(old Mac format) or a cell holds a line break without quotes; save it with LF or CRLF "
                "line breaks")
    return str(exc)


def _sniff(path: str, head: bytes) -> None:
    """Refuse binary files up front with one clear line instead of a decoding error
    (`auditor.filekind`: workbooks, archives, compressed files, programs, NUL bytes)."""
    found = binary_content(head)
    if found is None:
        return
    if found.nul:  # the message the line reader gives a NUL further on
        raise InventoryError(path, "binary file: contains NUL bytes, not a CSV inventory", found.line, found.column)
    if found.workbook_names:
        advice = f"give the file its {found.workbook_names} name to read it as a workbook"
    else:
        advice = found.advice or "not a CSV inventory"
    raise InventoryError(path, f"binary file: {found.what}, not text; {advice}", found.line, found.column)
