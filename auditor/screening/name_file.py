"""Names to screen from a vendor master file: one name per line, or a column of a CSV file.

Every problem is reported with the file and line (``NameFileError``); nothing is dropped
without a trace: blank lines and empty cells hold no name and are counted, not screened.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

# A name longer than this is not a name (a pasted paragraph, a binary file read as text).
MAX_NAME_LENGTH = 1000
# Largest file read: a vendor master of a million names fits well below it.
MAX_FILE_BYTES = 256 * 1024 * 1024


class NameFileError(ValueError):
    """A name file that cannot be read; str() is "file:line: reason"."""


@dataclass(frozen=True)
class NamedLine:
    name: str
    line: int


@dataclass(frozen=True)
class NameFile:
    names: list[NamedLine]
    skipped_empty: int  # blank lines or empty cells: no name to screen


def _text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise NameFileError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES} bytes a name file may have")
        data = path.read_bytes()
    except OSError as exc:
        raise NameFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
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
        names, skipped = [], 0
        for number, raw in enumerate(text.splitlines(), start=1):
            name = raw.strip()
            if not name:
                skipped += 1
                continue
            _check(path, number, name)
            names.append(NamedLine(name, number))
        return NameFile(names, skipped)
    return _read_column(path, text, column)


def _read_column(path: Path, text: str, column: str) -> NameFile:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise NameFileError(f"{path}:1: {exc}") from None
    if not header:
        raise NameFileError(f"{path}:1: empty file: no header row with a {column!r} column")
    wanted = column.strip().casefold()
    matches = [i for i, h in enumerate(header) if h.strip().casefold() == wanted]
    if not matches:
        shown = ", ".join(repr(h) for h in header[:20])
        raise NameFileError(f"{path}:1: no column {column!r} in the header (columns: {shown})")
    if len(matches) > 1:
        raise NameFileError(f"{path}:1: column {column!r} appears {len(matches)} times in the header")
    index = matches[0]
    names, skipped = [], 0
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                skipped += 1
                continue
            if len(row) != len(header):
                raise NameFileError(f"{path}:{line}: row has {len(row)} fields, the header has {len(header)}")
            name = row[index].strip()
            if not name:
                skipped += 1
                continue
            _check(path, line, name, f"{index + 1}:")
            names.append(NamedLine(name, line))
    except csv.Error as exc:
        raise NameFileError(f"{path}:{reader.line_num}: {exc}") from None
    return NameFile(names, skipped)
