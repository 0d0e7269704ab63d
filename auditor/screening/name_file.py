"""Names to screen from a vendor master file: one name per line, or a column of a CSV file.

Every problem is reported with the file and line (``NameFileError``); nothing is dropped
without a trace: blank lines and empty cells hold no name and are counted, with their lines,
not screened. A file named ``.csv`` / ``.tsv`` is read by column only: screening its whole lines
("V-1,Huawei Technologies,CN") would find nothing and say so as if the vendors were clean.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.limits import MiB, read_capped, shown_names

# A name longer than this is not a name (a pasted paragraph, a binary file read as text).
MAX_NAME_LENGTH = 1000
# Largest file read: a vendor master of a million names fits well below it.
MAX_FILE_BYTES = 256 * MiB
# First characters of a cell a spreadsheet reads as a formula (rule DQ-006 flags them in audits;
# a tab is stripped with the rest of the white space here).
FORMULA_STARTS = "=+@"
# File names read by column: a spreadsheet export's lines are records, not names.
TABLE_SUFFIXES = (".csv", ".tsv")


class NameFileError(ValueError):
    """A name file that cannot be read; str() is "file:line: reason"."""


@dataclass(frozen=True)
class NamedLine:
    name: str
    line: int


@dataclass(frozen=True)
class NameFile:
    names: list[NamedLine]
    skipped_lines: list[int]  # blank lines or empty cells: no name to screen

    @property
    def formula_lines(self) -> list[int]:
        """Lines whose name starts like a spreadsheet formula ("=HYPERLINK(…)"): screened as
        written, which is not the name a spreadsheet shows (rule DQ-006's test, for audits)."""
        return [n.line for n in self.names if n.name[:1] in FORMULA_STARTS]

    @property
    def skipped_empty(self) -> int:
        return len(self.skipped_lines)

    def skipped_note(self) -> str:
        """"3 blank lines or empty cells (lines 4, 9, 12) hold no name"."""
        n = len(self.skipped_lines)
        lines = shown_names([str(x) for x in self.skipped_lines])
        return (f"{n} blank line{'s' if n != 1 else ''} or empty cell{'s' if n != 1 else ''} "
                f"(line{'s' if n != 1 else ''} {lines}) {'hold' if n != 1 else 'holds'} no name")


def _text(path: Path) -> str:
    """The file as text: UTF-8 (a byte-order mark allowed), or UTF-16 with its byte-order mark
    (what spreadsheet programs write as "Unicode text"); a regular file of at most
    ``MAX_FILE_BYTES`` only: a device or a FIFO is refused before it is read."""
    try:
        data = read_capped(path, MAX_FILE_BYTES, "the name file")
    except OSError as exc:
        raise NameFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise NameFileError(f"{path}:{line}: not UTF-16 text after its byte-order mark") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise NameFileError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None


def _check(path: Path, line: int, name: str, where: str = "") -> None:
    if "\x00" in name:
        raise NameFileError(f"{path}:{line}:{where} a NUL byte: not a text file")
    if len(name) > MAX_NAME_LENGTH:
        raise NameFileError(f"{path}:{line}:{where} a name of {len(name)} characters (at most {MAX_NAME_LENGTH})")


def read_names(path: Path, column: str | None = None) -> NameFile:
    """The names in ``path``: every non-blank line, or with ``column`` the cells of that
    column of a CSV file (header row first; comma, semicolon or tab separated)."""
    text = _text(path)
    if column is None:
        if path.suffix.lower() in TABLE_SUFFIXES:
            header = _header(path, _reader(text))
            shown = ", ".join(repr(h) for h in header[:20])
            raise NameFileError(f"{path}:1: a table: name the column that holds the names with --column "
                                f"(columns: {shown})")
        names, skipped = [], []
        for number, raw in enumerate(text.splitlines(), start=1):
            name = raw.strip()
            if not name:
                skipped.append(number)
                continue
            _check(path, number, name)
            names.append(NamedLine(name, number))
        return NameFile(names, skipped)
    return _read_column(path, text, column)


def _reader(text: str) -> Any:  # csv's reader type is private; Any keeps .line_num
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def _header(path: Path, reader: Any) -> list[str]:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise NameFileError(f"{path}:1: {exc}") from None
    if not header:
        raise NameFileError(f"{path}:1: empty file: no header row naming its columns")
    return list(header)


def _read_column(path: Path, text: str, column: str) -> NameFile:
    reader = _reader(text)
    header = _header(path, reader)
    wanted = column.strip().casefold()
    matches = [i for i, h in enumerate(header) if h.strip().casefold() == wanted]
    if not matches:
        shown = ", ".join(repr(h) for h in header[:20])
        raise NameFileError(f"{path}:1: no column {column!r} in the header (columns: {shown})")
    if len(matches) > 1:
        raise NameFileError(f"{path}:1: column {column!r} appears {len(matches)} times in the header")
    index = matches[0]
    names, skipped = [], []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                skipped.append(line)
                continue
            if len(row) != len(header):
                raise NameFileError(f"{path}:{line}: row has {len(row)} fields, the header has {len(header)}")
            name = row[index].strip()
            if not name:
                skipped.append(line)
                continue
            _check(path, line, name, f"{index + 1}:")
            names.append(NamedLine(name, line))
    except csv.Error as exc:
        raise NameFileError(f"{path}:{reader.line_num}: {exc}") from None
    return NameFile(names, skipped)
