"""The one interface every list importer implements, and the parsing helpers they share.

An importer turns one official file into `ListEntry` rows plus counts per source section
(CSL `source`, SDN, 1260H …) and warnings about survivable defects. It never touches the
database: storing is `auditor.store.lists`' job, so an importer is pure file → data.

Unsurvivable input raises `ListFormatError` carrying file, line and column, which the CLI
turns into a one-line message and exit 2.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator, Protocol

from auditor.errors import location
from auditor.filekind import binary_content
from auditor.limits import LIST_FILE_MAX_BYTES, open_regular, read_capped
from auditor.model import ImportResult, ListEntry  # noqa: F401  (ImportResult re-exported)


class ListFormatError(Exception):
    """A list file that cannot be imported: where and why."""

    def __init__(self, path: str | Path, message: str, line: int | None = None, column: int | None = None):
        self.path = str(path)
        self.line = line
        self.column = column
        self.reason = message
        super().__init__(f"{location(self.path, line, column)}: {message}")


class Importer(Protocol):
    name: str  # the --format value, e.g. "csl-csv"
    slot: str  # what a new import replaces: csl-csv and csl-json both fill the "csl" slot
    description: str

    def parse(self, path: Path) -> ImportResult: ...

    def sniff(self, head: "FileHead") -> bool:
        """Whether a file starting with `head` is in this format (`lists import` without --format)."""
        ...


@dataclass(frozen=True)
class FileHead:
    """The start of a list file, as format detection sees it: its text (the first
    HEAD_BYTES, BOM removed) and the CSV records of the complete lines in it."""

    text: str
    rows: list[list[str]]

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.strip() for c in self.rows[0]) if self.rows else ()


HEAD_BYTES = 64 * 1024


def read_head(path: Path) -> FileHead:
    """The start of the file, for format detection; an empty file or one that is not text
    (a compressed download, a workbook) is refused here, as `read_text` refuses it, so that
    the officer is told what the file is rather than asked for a --format it has none of."""
    try:
        with open_regular(Path(path)) as fh:
            data = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise ListFormatError(path, f"cannot read file: {exc.strerror or exc}") from None
    check_content(path, data, whole=len(data) < HEAD_BYTES)
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    cut = len(data) == HEAD_BYTES  # more follows: the last line, or a quoted cell, may be cut
    complete = text[: text.rfind("\n") + 1] if cut else text
    try:
        rows = [r for r in csv.reader(io.StringIO(complete, newline="")) if r]
    except csv.Error:
        rows = []
    if cut and len(rows) > 1:
        rows.pop()
    rows = rows[:20]
    return FileHead(text, rows)


# --- shared helpers -------------------------------------------------------------------------

NULLS = frozenset({"", "-0-"})


def clean(value: str | None) -> str | None:
    """Trim a cell; OFAC writes `-0-` (often with a trailing space) for "no value"."""
    if value is None:
        return None
    value = value.strip()
    return None if value in NULLS else value


def split_list(value: str | None, sep: str = ";") -> tuple[str, ...]:
    """`a; b; c` → ("a", "b", "c"), dropping empty parts and duplicates, keeping order."""
    value = clean(value)
    if not value:
        return ()
    seen: dict[str, None] = {}
    for part in value.split(sep):
        part = part.strip()
        if part and part not in NULLS:
            seen.setdefault(part, None)
    return tuple(seen)


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%B %d, %Y",  # March 12, 2021 (FCC)
    "%b %d, %Y",  # Mar 12, 2021
    "%d %B %Y",  # 12 March 2021
    "%d %b %Y",  # 12 Mar 2021 (OFAC remarks)
    "%m/%d/%Y",  # 08/08/2023
    "%Y/%m/%d",
)


def parse_date(text: str) -> date:
    """Parse the date spellings the official lists use; ValueError names the text."""
    t = " ".join(text.strip().split())
    if len(t) >= 10 and t[4] == "-" and t[7] == "-":
        t10 = t[:10]  # "2021-06-03T00:00:00Z" from JSON feeds
        try:
            return date.fromisoformat(t10)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {text.strip()!r}")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_content(path: Path | str, data: bytes, whole: bool) -> None:
    """Refuse a file that is empty (`data` is the `whole` file and holds no more than a
    byte-order mark and blank lines) or not text (`auditor.filekind`: a gzip or ZIP download,
    a workbook, a program), each said as such: neither is in any list format."""
    if whole:
        body = data.removeprefix(b"\xef\xbb\xbf")
        if not body:
            raise ListFormatError(path, f"file is empty{'' if data else ' (0 bytes)'}: nothing imported")
        if not body.strip(b" \t\r\n\x0b\x0c\x1a"):  # 0x1A: the DOS end-of-file byte OFAC files end with
            raise ListFormatError(path, "file is empty (only blank lines): nothing imported")
    found = binary_content(data)
    if found is not None:
        advice = found.advice or "import the list as its publisher offers it in CSV or JSON"
        raise ListFormatError(path, f"{found.what}, not a text list file: {advice}", found.line, found.column)


def read_text(path: Path) -> str:
    """The file as text: UTF-8 with or without BOM; anything else is a clear error."""
    try:
        data = read_capped(path, LIST_FILE_MAX_BYTES, "list file")  # regular files only: no FIFO, no /dev/zero
    except OSError as exc:
        raise ListFormatError(path, f"cannot read file: {exc.strerror or exc}") from None
    check_content(path, data, whole=True)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ListFormatError(path, "not UTF-8 text (re-save the file as UTF-8)", line, col) from None
    if not text.strip():  # Unicode blanks check_content does not know
        raise ListFormatError(path, "file is empty (only blank lines): nothing imported")
    return text


@dataclass(frozen=True)
class CsvRow:
    line: int  # physical line where the record starts (1-based)
    cells: list[str]


def iter_csv(path: Path, text: str) -> Iterator[CsvRow]:
    """CSV records with the physical line each starts on (quoted multi-line cells included)."""
    # Not strict: a file cut off inside a quoted cell (the partial CSL) must still parse;
    # importers decide what a short last record means.
    reader = csv.reader(io.StringIO(text, newline=""))
    prev_end = 0
    try:
        for cells in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank line
            yield CsvRow(start, cells)
    except csv.Error as exc:
        raise ListFormatError(path, f"malformed CSV: {exc}", reader.line_num) from None


def column_of(cells: list[str], index: int) -> int:
    """1-based character column where field `index` starts in its (re-joined) record.

    Approximate for quoted cells, exact enough to point a reader at the right field.
    """
    col = 1
    for cell in cells[:index]:
        col += len(cell) + 1 + (2 if ("," in cell or '"' in cell) else 0)
    return col


def slug(text: str) -> str:
    """A stable identifier from a name: lower-case words joined by hyphens."""
    return "-".join(re.findall(r"[0-9a-z]+", text.casefold())) or "entry"


def rows_with_header(path: Path, header: tuple[str, ...], what: str) -> list[CsvRow]:
    """Every CSV record of a headed list file, after checking that the header is `header`."""
    rows = list(iter_csv(path, read_text(path)))
    found = tuple(h.strip().lstrip("\ufeff") for h in rows[0].cells)
    if found != header:
        raise ListFormatError(path, f"not {what}: expected header {', '.join(header)}", rows[0].line)
    return rows
