"""Names to screen from a vendor master file: one name per line, or a column of a CSV file.

A file that cannot be read is reported with the file and line (``NameFileError``); nothing is
dropped without a trace: blank lines and empty cells hold no name and are counted, with their
lines, not screened; a row of a table that does not fit its header, or whose name is longer
than any name (``MAX_NAME_LENGTH``), is rejected with its line and reason and the rest of the
file is screened (rows read = screened + rejected + empty); the screening is then incomplete.
A workbook (.xlsx, .xls, .ods …) is read as `audit` reads it (``workbook_reader.load_sheet``:
the first sheet or ``--sheet``, typed cells as the spreadsheet shows them), and a file that is
not text (a workbook under another name, an archive, a program) is named as what it is
before any text decoding (``auditor.filekind``). A table's delimiter
is recognised as the inventory reader recognises it (`csv_reader.rank_delimiters`: the one
under which the header holds the column asked for; an Excel `sep=;` first line says it), and
the column is found as the inventory reader finds its columns (`aliases.header_key`: case,
spaces and punctuation aside: "vendor_name" is "Vendor Name").

A file named ``.csv`` / ``.tsv``, or any file that looks like a table (tab-separated, or the
same three or more separated fields on every line), is read by column only: screening its
whole lines ("V-1,Huawei Technologies,CN") would find nothing and say so as if the vendors
were clean.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from auditor.filekind import binary_content
from auditor.inventory.aliases import header_key
from auditor.inventory.csv_reader import excel_separator, rank_delimiters
from auditor.limits import MiB, read_capped, shown_names
from auditor.screening.normalize import names_no_party, normalise_name
from auditor.screening.vocabulary import LEGAL_FORMS, STOPWORDS, TRAILING_LEGAL_FORMS

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
class RejectedRow:
    line: int
    reason: str


@dataclass(frozen=True)
class NameFile:
    source: str  # the file as given; a workbook's sheet as `audit` names it: `book.xlsx!Sheet1`
    names: list[NamedLine]
    skipped_lines: list[int]  # blank lines, empty cells, placeholders ("-", "N/A"): no name to screen
    rejected: list[RejectedRow] = field(default_factory=list)  # rows not screened, with the reason
    warnings: list[str] = field(default_factory=list)  # e.g. only the first of several sheets read

    @property
    def rows_read(self) -> int:
        """Every record of the file below its header: screened + rejected + empty."""
        return len(self.names) + len(self.rejected) + len(self.skipped_lines)

    @property
    def formula_lines(self) -> list[int]:
        """Lines whose name starts like a spreadsheet formula ("=HYPERLINK(…)"): screened as
        written, which is not the name a spreadsheet shows (rule DQ-006's test, for audits)."""
        return [n.line for n in self.names if n.name[:1] in FORMULA_STARTS]

    @property
    def skipped_empty(self) -> int:
        return len(self.skipped_lines)

    def skipped_note(self) -> str:
        """"3 blank lines, empty cells or placeholders (lines 4, 9, 12) hold no name"
        (placeholders: "-", "N/A", "TBD", a legal form alone: ``not_a_name``)."""
        n = len(self.skipped_lines)
        lines = shown_names([str(x) for x in self.skipped_lines])
        return (f"{self.skipped_what()} (line{'s' if n != 1 else ''} {lines}) "
                f"{'hold' if n != 1 else 'holds'} no name")

    def skipped_what(self) -> str:
        n = len(self.skipped_lines)
        return f"{n} blank line{'s' if n != 1 else ''}, empty cell{'s' if n != 1 else ''} or placeholder{'s' if n != 1 else ''}"


def _text(path: Path, encoding: str | None = None) -> str:
    """The file as text: UTF-8 (a byte-order mark allowed) or the ``encoding`` named, or UTF-16
    with its byte-order mark (what spreadsheet programs write as "Unicode text"); a regular file
    of at most ``MAX_FILE_BYTES`` only: a device or a FIFO is refused before it is read."""
    try:
        data = read_capped(path, MAX_FILE_BYTES, "the name file")
    except OSError as exc:
        raise NameFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    binary = binary_content(data)
    if binary is not None:
        # Named as what it is, before any decoding: a workbook, gzip or program read as text
        # would earn the advice to name an encoding, which cannot help.
        if binary.workbook_names:
            advice = (f"give it its {binary.workbook_names} name to screen a column of its first sheet "
                      "(--column, --sheet), or save it as CSV UTF-8")
        elif binary.nul:
            advice = ("a text file of names has none (UTF-16 without its byte-order mark? save it as UTF-8); "
                      "give a text file, CSV or workbook of names")
        else:
            advice = binary.advice or "give a text file, CSV or workbook of names"
        raise NameFileError(f"{path}:{binary.line}: {binary.what}, not text: {advice}")
    text = _decode(path, data, encoding)
    if "\x00" in text:  # a U+0000 in a UTF-16 file
        raise NameFileError(f"{path}:{text.count(chr(10), 0, text.index(chr(0))) + 1}: a NUL character: "
                            "not a text file of names")
    return text


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise NameFileError(f"{path}:{line}: not UTF-16 text after its byte-order mark") from None
    if encoding and codecs.lookup(encoding).name != "utf-8":
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise NameFileError(f"{path}:{line}: not {encoding} text (byte 0x{data[exc.start]:02x})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = " (it looks like Windows-1252/Latin-1: give --encoding cp1252)" if data[exc.start] >= 0x80 else ""
        raise NameFileError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}){hint}; "
                            "save the file as UTF-8") from None


def _too_long(name: str) -> str | None:
    """Why a name is not screened, or None: longer than any name (a pasted paragraph, a cell
    holding a whole document). The row is rejected; the rest of the file is screened."""
    if len(name) > MAX_NAME_LENGTH:
        return f"a name of {len(name):,} characters (at most {MAX_NAME_LENGTH:,})"
    return None


def check_encoding(encoding: str) -> str:
    """The encoding's name, or NameFileError for one Python does not know."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise NameFileError(f"--encoding {encoding!r}: unknown encoding (e.g. cp1252, latin-1, utf-16)") from None


def read_names(path: Path, column: str | None = None, encoding: str | None = None,
               sheet: str | None = None) -> NameFile:
    """The names in ``path``: every non-blank line, or with ``column`` the cells of that
    column of a CSV file (header row first; comma, semicolon, tab or pipe separated) or of a
    workbook's sheet (``sheet``, else the first)."""
    if encoding:
        check_encoding(encoding)
    if is_workbook(path):
        if encoding:
            raise NameFileError(f"{path}: a workbook: --encoding applies to text files only")
        return _read_sheet(path, column, sheet)
    if sheet is not None:
        raise NameFileError(f"--sheet {sheet!r}: {path} is not a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods)")
    text = _text(path, encoding)
    if column is None:
        if path.suffix.lower() in TABLE_SUFFIXES or _looks_like_table(text):
            header = _header(path, _reader(text, None))
            shown = ", ".join(repr(h) for h in header[:20])
            raise NameFileError(f"{path}:1: a table: name the column that holds the names with --column "
                                f"(columns: {shown})")
        names, skipped, rejected = _sorted_names((number, raw.strip()) for number, raw in
                                                 enumerate(text.splitlines(), start=1))
        return NameFile(str(path), names, skipped, rejected)
    return _read_column(path, text, column)


def is_workbook(path: Path) -> bool:
    """Named as a workbook `audit` reads (its reader registry: .xlsx, .xlsm, .xlsb, .xls, .ods)."""
    from auditor.inventory import READERS

    return READERS.get(path.suffix.lower()) == READERS[".xlsx"]


def _read_sheet(path: Path, column: str | None, sheet: str | None) -> NameFile:
    """The names in one column of a workbook's sheet, as `audit` reads sheets: the first sheet
    unless ``sheet`` names one (a note says when others were left), rows named by their sheet
    row, cells as the spreadsheet shows them (a number as its digits, a date as ISO), the
    header the first of the top rows that names the column (titles above it are usual)."""
    from auditor.inventory.errors import InventoryError
    from auditor.inventory.workbook_reader import cell_text, load_sheet

    try:
        loaded = load_sheet(str(path), sheet)
    except InventoryError as exc:
        raise NameFileError(str(exc)) from None
    rows, where = loaded.rows, loaded.name
    filled = [k for k, row in enumerate(rows) if any(cell_text(c).strip() for c in row)]
    if not filled:
        raise NameFileError(f"{where}:1: empty sheet: no header row naming its columns")
    # What the header most likely is, for messages: the first top row of two cells or more
    # (a title above the table has one).
    likely = next((k for k in filled[:10] if sum(1 for c in rows[k] if cell_text(c).strip()) >= 2), filled[0])
    shown = ", ".join(repr(cell_text(c)) for c in rows[likely][:20] if cell_text(c).strip())
    if column is None:
        raise NameFileError(f"{where}:{likely + 1}: a workbook: name the column that holds the names with "
                            f"--column (columns: {shown})")
    wanted = header_key(column)
    if not wanted:
        raise NameFileError(f"--column {column!r}: the column name has no letters or digits")
    first = next((k for k in filled[:10] if any(header_key(cell_text(c)) == wanted for c in rows[k])), None)
    if first is None:
        raise NameFileError(f"{where}:{likely + 1}: no column {column!r} in the header (columns: {shown})")
    header = [cell_text(c) for c in rows[first]]
    index = _column_index(where, first + 1, header, column, wanted)
    # Rows named by their sheet row: what the officer sees at the left.
    names, skipped, rejected = _sorted_names(
        (k + 1, cell_text(rows[k][index]).strip() if index < len(rows[k]) else "") for k in range(first + 1, len(rows)))
    note = loaded.first_sheet_note(sheet)
    return NameFile(where, names, skipped, rejected, [note] if note else [])


# What spreadsheets and ERP exports put in a cell that has no name: Excel's "#N/A" error,
# a dash, "N/A", "TBD" … Screened, they would be counted as names screened.
_PLACEHOLDERS = frozenset({"n/a", "na", "#n/a", "none", "null", "nil", "tbd", "tba", "unknown", "#ref!",
                           "#value!", "#name?"})


LEGAL_FORM_ALONE = "a legal form alone names no party"
PLACEHOLDER = "a placeholder, not a name"
NO_LETTERS = "no letter or digit: not a name"


def not_a_name(name: str, quick: bool = True) -> str | None:
    """Why a cell or argument holds no name to screen, or None: a placeholder ("N/A", "TBD",
    Excel's "#N/A"), punctuation only ("-", "?"), or a legal form alone ("Ltd.", "Co., Ltd.":
    ``normalize.names_no_party``). Screened, each would be reported as a clean name. With
    ``quick``, a name is normalised only when every word could be a legal form (a name costs
    a tenth of a millisecond to normalise, and a vendor master has tens of thousands): a few
    rare forms pass unnoticed and are screened, which finds nothing."""
    if not any(c.isalnum() for c in name):
        return NO_LETTERS
    if name.strip().casefold() in _PLACEHOLDERS:
        return PLACEHOLDER
    if quick and not all(w in _LEGALISH for w in _WORD_RE.findall(name.casefold())):
        return None
    return LEGAL_FORM_ALONE if names_no_party(normalise_name(name)) else None


def _placeholder(name: str) -> bool:
    return not_a_name(name) is not None


_WORD_RE = re.compile(r"\w+")
_LEGALISH = LEGAL_FORMS | TRAILING_LEGAL_FORMS | STOPWORDS


def _sorted_names(lines: Iterable[tuple[int, str]]) -> tuple[list[NamedLine], list[int], list[RejectedRow]]:
    """(line, name) pairs sorted into names to screen, lines holding none and rows rejected
    (a name too long to be one)."""
    names: list[NamedLine] = []
    skipped: list[int] = []
    rejected: list[RejectedRow] = []
    for line, name in lines:
        if not name or _placeholder(name):
            skipped.append(line)
        elif why := _too_long(name):
            rejected.append(RejectedRow(line, why))
        else:
            names.append(NamedLine(name, line))
    return names, skipped, rejected


def _looks_like_table(text: str) -> bool:
    """A spreadsheet export whatever its file name ("Text (Tab delimited)" saves ``.txt``): a
    tab in the first line and in most others (a stray tab in one name is a name with a tab),
    or every line of at least two with the same three or more comma- or semicolon-separated
    fields (a name may have a comma or two: "Acme, Inc.")."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if lines and "\t" in lines[0] and 2 * sum("\t" in line for line in lines) >= len(lines):
        return True
    if len(lines) < 2:
        return False
    try:
        widths = {len(row) for row in _reader("\n".join(lines), None)}
    except csv.Error:
        return False
    return len(widths) == 1 and widths.pop() >= 3


def _reader(text: str, column: str | None) -> Any:  # csv's reader type is private; Any keeps .line_num
    """A CSV reader of ``text`` with its delimiter, past Excel's `sep=;` first line if it has
    one (it names the delimiter, it is not the header)."""
    first = text.split("\n", 1)[0]
    declared = excel_separator(first)
    if declared:
        delimiter = declared
    else:
        wanted = header_key(column or "")
        ranked = rank_delimiters(first.rstrip("\r"), lambda cell: bool(wanted) and header_key(cell) == wanted)
        delimiter = ranked[0][0] if ranked else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    if declared:
        next(reader)
    return reader


def _header(path: Path, reader: Any) -> list[str]:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise NameFileError(f"{path}:1: {exc}") from None
    if not header:
        raise NameFileError(f"{path}:1: empty file: no header row naming its columns")
    return list(header)


def _column_index(where: str, header_line: int, header: list[str], column: str, wanted: str) -> int:
    """Where ``column`` is in the header, found as `audit` finds its columns."""
    matches = [i for i, h in enumerate(header) if header_key(h) == wanted]
    if not matches:
        shown = ", ".join(repr(h) for h in header[:20])
        raise NameFileError(f"{where}:{header_line}: no column {column!r} in the header (columns: {shown})")
    if len(matches) > 1:
        raise NameFileError(f"{where}:{header_line}: column {column!r} appears {len(matches)} times in the header "
                            f"({', '.join(repr(header[i]) for i in matches)})")
    return matches[0]


def _read_column(path: Path, text: str, column: str) -> NameFile:
    wanted = header_key(column)
    if not wanted:
        raise NameFileError(f"--column {column!r}: the column name has no letters or digits")
    # A cell may be as long as the file (read whole, at most MAX_FILE_BYTES): an over-long name
    # is one rejected row, not a parser error that stops the whole file. The parser's limit
    # is process-wide (the inventory reader's is lower): restored when the file is read.
    previous = csv.field_size_limit(MAX_FILE_BYTES)
    try:
        return _read_rows(path, text, column, wanted)
    finally:
        csv.field_size_limit(previous)


def _read_rows(path: Path, text: str, column: str, wanted: str) -> NameFile:
    reader = _reader(text, column)
    header = _header(path, reader)
    index = _column_index(str(path), reader.line_num, header, column, wanted)
    names, skipped, rejected = [], [], []
    start = reader.line_num + 1  # a record's first line: a quoted cell may span several
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                skipped.append(line)
                continue
            n = len(row)
            # As the inventory reader: empty cells after the last column are no fault.
            if n < len(header) or (n > len(header) and any(cell.strip() for cell in row[len(header):])):
                rejected.append(RejectedRow(line, f"row has {n} field{'s' if n != 1 else ''}, "
                                                  f"the header has {len(header)}"))
                continue
            name = row[index].strip()
            if not name or _placeholder(name):
                skipped.append(line)
                continue
            why = _too_long(name)
            if why:
                rejected.append(RejectedRow(line, f"column {index + 1}: {why}"))
                continue
            names.append(NamedLine(name, line))
    except csv.Error as exc:
        raise NameFileError(f"{path}:{start}: {exc}") from None
    return NameFile(str(path), names, skipped, rejected)
