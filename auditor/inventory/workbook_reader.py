"""Spreadsheet workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) read directly, one sheet per audit input.

python-calamine (Rust calamine) reads all five formats through one API and returns typed
cells: a date-formatted cell arrives as a real date, text as text, numbers as numbers.
Formulas are never evaluated: a formula cell is read as the value the spreadsheet program
last computed and saved (what the officer sees). Numbers in code columns become the text
the officer sees: serial 123456789012 (not 1.23456789012e+11), HTS 8543.70 (Excel stores
8543.7).

A workbook is a ZIP archive (or an OLE file for .xls): it is measured before it is opened,
so a zip bomb or a sheet larger than any inventory is refused with a message, like a
hostile CSV. Rows are named by their sheet row (`fleet.xlsx!Fleet`, line 12); a rejected
cell is named in full (`fleet.xlsx!Fleet!C12`).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable

from auditor.inventory.errors import InventoryError, check_input
from auditor.inventory.options import DEFAULT, ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.inventory.tabular import TabularSink
from auditor.limits import open_regular
from auditor.model import DATE_COLUMNS, InventorySource, Rejected

# Far above a million-rig sheet (~400 MB of XML for 16 columns), far below what exhausts memory.
MAX_UNCOMPRESSED = 1 << 30
MAX_RATIO = 200  # deflate reaches ~10-20x on sheet XML; bombs reach thousands
MAX_ENTRIES = 10_000
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 1_000
MAX_FILE = 512 << 20  # .xls (OLE) files are not compressed: their size bounds the work


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook, read whole: its typed cells from A1 (list index + 1 is the
    sheet row), the workbook's hash and the names of all its sheets."""

    path: str
    sheet: str
    rows: list[list[Any]]
    sha256: str
    sheet_names: list[str]

    @property
    def name(self) -> str:
        """How messages and reports name the table: `book.xlsx!Sheet1`."""
        return f"{self.path}!{self.sheet}"

    def first_sheet_note(self, chosen: str | None) -> str | None:
        """The warning that only the first of several sheets was read (no --sheet given)."""
        if len(self.sheet_names) > 1 and chosen is None:
            return (f"{self.path}: read the first sheet {self.sheet!r} of {len(self.sheet_names)} "
                    f"({', '.join(self.sheet_names)}); choose another with --sheet")
        return None


def load_sheet(path: str, sheet: str | None = None) -> Sheet:
    """The sheet named `sheet` (None: the first) of the workbook at `path`: measured before it
    is opened (zip bombs, sizes), a regular file only. Problems raise InventoryError (exit 2).
    Shared by `audit` (read_workbook) and `screen --file` (auditor/screening/name_file.py)."""
    check_input(path, "a workbook")
    p = Path(path)
    try:
        with open_regular(p) as fh:  # a FIFO named .xlsx would block a plain read for ever
            raw = fh.read()
    except OSError as exc:
        raise InventoryError(path, f"cannot open: {exc.strerror or exc}") from None
    sha = hashlib.sha256(raw).hexdigest()
    _measure(path, raw)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(p))
    except Exception as exc:  # calamine raises its own errors, plain ValueErrors and more
        raise InventoryError(path, f"not a readable workbook: {_one_line(exc)}") from None
    names = list(book.sheet_names)
    if not names:
        raise InventoryError(path, "the workbook has no sheets")
    chosen = sheet if sheet is not None else names[0]
    if chosen not in names:
        raise InventoryError(path, f"no sheet named {chosen!r} (sheets: {', '.join(names)})")
    try:
        rows = book.get_sheet_by_name(chosen)
        height, width = rows.height, rows.width
        if height > MAX_ROWS or width > MAX_COLUMNS:
            raise InventoryError(path, f"sheet {chosen!r} is {height:,} rows by {width:,} columns: larger than any "
                                       f"inventory this reader accepts ({MAX_ROWS:,} by {MAX_COLUMNS:,})")
        data = rows.to_python(skip_empty_area=False)
    except InventoryError:
        raise
    except Exception as exc:
        raise InventoryError(path, f"cannot read sheet {chosen!r}: {_one_line(exc)}") from None
    finally:
        book.close()
    return Sheet(path, chosen, data, sha, names)


def read_workbook(
    path: str,
    builder: TableBuilder,
    progress: Callable[[int], None] | None = None,
    options: ReadOptions = DEFAULT,
) -> tuple[InventorySource, list[Rejected], list[str]]:
    loaded = load_sheet(path, options.sheet)
    data, sha = loaded.rows, loaded.sha256
    name = loaded.name
    # to_python(skip_empty_area=False) starts at A1, so list index + 1 is the sheet row.
    first = _header_row(data, options)
    if first is None:
        raise InventoryError(name, "empty sheet: expected a header row naming the columns", 1)
    header = [_cell_text(c, None) for c in data[first]]

    def date_scan():
        positions = [i for i, c in sink.mapping if c in DATE_COLUMNS]
        for k in range(first + 1, len(data)):
            for i in positions:
                if i < len(data[k]) and isinstance(data[k][i], str):
                    yield k + 1, data[k][i]

    sink = TabularSink(name, header, builder, options, progress, cell_name=lambda line, i: f"{name}!{_letters(i)}{line}",
                       date_scan=date_scan, pad_short_rows=True, cell_text=_cell_text)
    for k in range(first + 1, len(data)):
        row = data[k]
        if not any(_filled(c) for c in row):
            continue  # empty sheet row: not a rig
        sink.add(row, k + 1)  # typed cells: the sink asks _cell_text once per distinct value
    info, rejected, warnings = sink.finish(sha, first + 2)
    note = loaded.first_sheet_note(options.sheet)
    if note:
        warnings.append(note)
    return info, rejected, warnings


def _header_row(data: list[list[Any]], options: ReadOptions) -> int | None:
    """The header: the first of the top rows naming two known columns (officers put titles and
    blank rows above it), else the first row with content."""
    from auditor.inventory.aliases import HeaderMap

    hmap = HeaderMap(options.column_map)
    filled = [i for i, r in enumerate(data[:50]) if any(_filled(c) for c in r)]
    for i in filled[:10]:
        if sum(1 for c in data[i] if isinstance(c, str) and hmap.column(c) is not None) >= 2:
            return i
    return filled[0] if filled else None


def _measure(path: str, raw: bytes) -> None:
    """Refuse zip bombs and oversized workbooks before any XML is parsed."""
    if raw.startswith(b"PK"):
        import io

        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                infos = z.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise InventoryError(path, f"not a readable workbook: damaged ZIP archive ({_one_line(exc)})", 1, 1) from None
        if len(infos) > MAX_ENTRIES:
            raise InventoryError(path, f"workbook archive has {len(infos):,} parts: not a spreadsheet export")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise InventoryError(path, f"workbook expands to {total / (1 << 20):,.0f} MiB: refused as a possible zip bomb "
                                       f"(limit {MAX_UNCOMPRESSED >> 20} MiB)")
        for i in infos:
            if i.file_size > (10 << 20) and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise InventoryError(path, f"workbook part {i.filename!r} expands {i.file_size // max(i.compress_size, 1):,} "
                                           "times: refused as a possible zip bomb")
    elif len(raw) > MAX_FILE:
        raise InventoryError(path, f"workbook is {len(raw) >> 20} MiB: larger than this reader accepts")


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def cell_text(cell: Any) -> str:
    """The text an officer sees in a typed cell (a number as its digits, a date as ISO)."""
    return _cell_text(cell, None)


def _cell_text(cell: Any, column: str | None) -> str:
    """The text an officer sees for a typed cell."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < 1e16:
            text = str(int(cell))
        else:
            text = repr(cell)
        if column == "hts_code" and "." in text:
            head, tail = text.split(".", 1)
            text = f"{head}.{tail}{'0' * (len(tail) % 2)}"  # 8543.7 was typed 8543.70
        return text
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, (date, time)):
        return cell.isoformat()
    if isinstance(cell, timedelta):
        return str(cell)
    return str(cell)


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
