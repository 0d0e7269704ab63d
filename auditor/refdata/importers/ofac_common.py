"""Shared reading of OFAC's legacy header-less CSV files (sdn.csv, alt.csv).

They end with a DOS end-of-file byte (0x1A) and write `-0- ` for an empty field.
"""

from __future__ import annotations

from pathlib import Path

from auditor.refdata.importers.base import CsvRow, FileHead, ListFormatError, clean, column_of, iter_csv, read_text


def read_rows(path: Path, width: int, header_first: str, what: str) -> tuple[list[CsvRow], list[str]]:
    """Rows of exactly `width` fields whose first field is an integer ent_num."""
    text = read_text(path).rstrip("\x1a\r\n ")
    warnings: list[str] = []
    rows: list[CsvRow] = []
    for row in iter_csv(path, text):
        cells = row.cells
        if len(cells) == 1 and cells[0].strip() == "\x1a":
            continue
        first = cells[0].strip().casefold()
        if first == header_first:
            # The legacy files have no header; a hand-made or converted copy might.
            warnings.append(f"{path}:{row.line}: header row skipped")
            continue
        if len(cells) != width:
            raise ListFormatError(
                path,
                f"expected {width} fields ({what}), found {len(cells)} (is --format right?)",
                row.line,
                column_of(cells, min(len(cells), width)),
            )
        if not first.isdigit():
            raise ListFormatError(path, f"ent_num {cells[0].strip()!r} is not a number", row.line, 1)
        rows.append(row)
    if not rows:
        raise ListFormatError(path, f"no {what} records found")
    return rows, warnings


def legacy_records(head: FileHead, width: int) -> bool:
    """The file starts like a legacy OFAC CSV of `width` fields: records whose first field is
    an integer ent_num (an optional header row naming ent_num aside), the empty field `-0-`."""
    records = [r for r in head.rows if r[0].strip().casefold() != "ent_num" and r[0].strip() != "\x1a"]
    return (bool(records) and all(len(r) == width and r[0].strip().isdigit() for r in records)
            and "-0-" in head.text)


def programs_of(value: str | None) -> tuple[str, ...]:
    """sdn.csv joins several programs as "SDGT] [SDT"."""
    value = clean(value)
    if not value:
        return ()
    return tuple(p.strip(" []") for p in value.split("] [") if p.strip(" []"))
