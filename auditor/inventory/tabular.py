"""Rows of a table with a header (CSV, spreadsheet sheets) into the column store.

One place maps the header (aliases, the officer's --map, suggestions for near misses),
validates every cell, rejects a row with every bad field named, and accounts for every
row: rows_read == rows_audited + rows_rejected. Readers only produce (line, cells).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Sequence

from auditor.inventory.aliases import HeaderMap, accepted_headers
from auditor.inventory.dates import DateColumns
from auditor.inventory.errors import InventoryError
from auditor.inventory.fields import FieldError, clean_text, parse_field
from auditor.inventory.options import ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.limits import IGNORED_NAMES_KEPT
from auditor.model import DATE_COLUMNS, InventorySource, Rejected

HIGH_CARDINALITY = {"serial", "mac", "po_number", "po_line"}


class TabularSink:
    """Validates the rows of one header-led table into `builder`.

    `path` names the table in messages and reports (a CSV path, or `book.xlsx!Sheet1`);
    `cell_name(line, index)` names one cell for rejected-row reasons (spreadsheets: `C12`).
    """

    def __init__(
        self,
        path: str,
        header: Sequence[str],
        builder: TableBuilder,
        options: ReadOptions,
        progress: Callable[[int], None] | None = None,
        cell_name: Callable[[int, int], str] | None = None,
        date_scan: Callable[[], Any] | None = None,
        pad_short_rows: bool = False,
        cell_text: Callable[[Any, str], str] | None = None,
    ):
        self.path, self.progress, self.cell_name = path, progress, cell_name
        self.pad_short_rows = pad_short_rows  # spreadsheets drop trailing empty cells; CSV rows may not
        # Text of a typed (non-string) cell in a column; only called once per distinct value.
        self.cell_text = cell_text or (lambda raw, column: _text(raw))
        hmap = HeaderMap(options.column_map)
        self.mapping, self.ignored = _map_header(path, list(header), hmap)
        self.warnings: list[str] = []
        unused = hmap.unused(header)
        if unused:
            self.warnings.append(f"{path}: --map names headers this file does not have: {', '.join(unused)}")
        if self.ignored:
            self.warnings.append(f"{path}: {len(self.ignored):,} ignored column(s) with no canonical meaning: "
                                 f"{hmap.describe_ignored(self.ignored)}")
        self.columns = [c for _, c in self.mapping]
        self.positions = [i for i, _ in self.mapping]
        self.writer = builder.open_source(path, self.columns)
        # Per column: raw cell (text, or a typed spreadsheet value) -> dictionary code or its
        # FieldError; not for near-unique columns.
        self.caches: list[dict | None] = [None if c in HIGH_CARDINALITY else {} for c in self.columns]
        self.model_pos = self.columns.index("model")
        self.n_fields = len(header)
        date_positions = [j for j, c in enumerate(self.columns) if c in DATE_COLUMNS]
        self.dates = DateColumns(path, options.date_format, [self.columns[j] for j in date_positions],
                                 [list(header)[self.positions[j]] for j in date_positions])
        self.date_scan = date_scan  # reads the table again when a date is ambiguous (see dates.py)
        self.date_cols = {self.positions[j] for j in date_positions}
        self.rejected: list[Rejected] = []
        # What a rejected row keeps to be screened all the same (engine/rejected.py): its cells
        # of the party columns the screening rules read, and its serial.
        self.kept = [(j, c) for j, c in enumerate(self.columns) if c in options.party_columns or c == "serial"]
        self.rows_read = self.rows_audited = 0
        self._plan = list(zip(range(len(self.columns)), self.positions, self.caches))

    def add(self, record: Sequence[Any], line: int) -> None:
        """Validate one row: audited, or rejected with every bad field named. The hot path:
        a cell seen before in a low-cardinality column costs one dict lookup."""
        self.rows_read += 1
        n = len(record)
        if n != self.n_fields and not (n > self.n_fields and not any(_blank(c) for c in record[self.n_fields:])):
            if n < self.n_fields and self.pad_short_rows:
                record = list(record) + [""] * (self.n_fields - n)
            else:
                self.rejected.append(Rejected(self.path, line, f"row has {n} fields, the header has {self.n_fields}"))
                return
        codes = []
        errors: list[FieldError] | None = None
        for j, pos, cache in self._plan:
            raw = record[pos]
            code = cache.get(raw) if cache is not None else None
            if code is None:
                code = self._code(j, pos, raw, line)
                if cache is not None and len(cache) < 100_000:
                    cache[raw] = code
            if code.__class__ is not int:
                if errors is None:
                    errors = []
                if self.cell_name is not None:
                    code = FieldError(code.column, f"{code.reason} (cell {self.cell_name(line, pos)})")
                errors.append(code)  # keep going: the officer fixes every field in one pass
                code = 0
            codes.append(code)
        if codes[self.model_pos] == 0 and not (errors and any(e.column == "model" for e in errors)):
            errors = (errors or []) + [FieldError("model", "model is empty (required)")]
        if errors:
            reason = errors[0].reason if len(errors) == 1 else "; ".join(str(e) for e in errors)
            bad = {e.column for e in errors}
            kept = [(c, self._value(j, record[self.positions[j]])) for j, c in self.kept if c not in bad]
            self.rejected.append(self.reject(line, reason, errors[0].column, kept))
        else:
            self.writer.add(codes, line)
            self.rows_audited += 1
        if self.progress and self.rows_read % 50_000 == 0:
            self.progress(self.rows_read)

    def reject(self, line: int, reason: str, column: str | None, kept: Sequence[tuple[str, Any]]) -> Rejected:
        """A rejected row with its well-formed party names and serial (`kept`: (column, parsed
        value or None) of the columns in `self.kept` whose cells are not at fault)."""
        serial = next((v for c, v in kept if c == "serial" and v is not None), None)
        parties = tuple((c, v) for c, v in kept if c != "serial" and v is not None)
        return Rejected(self.path, line, reason, column, parties=parties,
                        serial=str(serial) if serial is not None else None)

    def _value(self, j: int, raw: Any) -> Any:
        """One cell's parsed value as an audited row would hold it (None: empty). Only for the
        kept cells of a rejected row, whose codes were not kept."""
        column = self.columns[j]
        try:
            return parse_field(column, raw if raw.__class__ is str else self.cell_text(raw, column))
        except FieldError:  # (not met: a cell at fault is named in the row's errors)
            return None

    def _code(self, j: int, pos: int, raw: Any, line: int) -> int | FieldError:
        """Dictionary code of one cell's parsed value, or the FieldError it raises."""
        column = self.columns[j]
        try:
            if pos in self.date_cols:
                value = self._date(column, raw, line)
            else:
                value = parse_field(column, raw if raw.__class__ is str else self.cell_text(raw, column))
            return self.writer.code(j, value)
        except FieldError as exc:
            return exc

    def _date(self, column: str, raw: Any, line: int) -> date | None:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = clean_text(column, raw if raw.__class__ is str else self.cell_text(raw, column))
        if text is None:
            return None
        return self.dates.parse(column, text, line, self.date_scan)

    def finish(self, sha256: str, empty_line: int = 2) -> tuple[InventorySource, list[Rejected], list[str]]:
        self.writer.close()
        path = self.path
        if self.rows_read == 0:
            raise InventoryError(path, "has a header but no data rows: nothing to audit", empty_line)
        if "serial" not in self.columns and "po_line" not in self.columns:
            # Purchase-order list without line numbers: every line of one PO gets the same asset key.
            self.warnings.append(
                f"{path}: no serial and no PO line column: lines of one purchase order share an asset key"
            )
        info = InventorySource(
            path=path,
            sha256=sha256,
            rows_read=self.rows_read,
            rows_audited=self.rows_audited,
            rows_rejected=len(self.rejected),
            columns=tuple(self.columns),
            ignored_columns=tuple(self.ignored[:IGNORED_NAMES_KEPT]),
        )
        assert info.rows_read == info.rows_audited + info.rows_rejected
        return info, self.rejected, self.warnings


def _blank(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    return raw if raw.__class__ is str else str(raw)


def _map_header(path: str, header: list[str], hmap: HeaderMap) -> tuple[list[tuple[int, str]], list[str]]:
    mapping: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        name = _text(name)
        column = hmap.column(name)
        if column is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if column in seen:
            raise InventoryError(
                path,
                f"columns {seen[column] + 1} ({header[seen[column]]!r}) and {i + 1} ({name!r}) both mean {column!r}; "
                f'choose one with --map "{name.strip()}={column}"',
                1,
                i + 1,
            )
        seen[column] = i
        mapping.append((i, column))
    shown = ", ".join(_text(h) for h in header)[:200]
    hint = ""
    if ignored:
        hint = f"; unrecognised headers: {hmap.describe_ignored(ignored)}"
    if "model" not in seen:
        raise InventoryError(
            path,
            f"no 'model' column (header: {shown}){hint}. Headers read as model: {accepted_headers('model')} "
            f'(case, spaces and punctuation ignored); or map yours with --map "Your Header=model"',
            1,
        )
    if "serial" not in seen and "po_number" not in seen:
        raise InventoryError(
            path,
            f"no 'serial' column (or 'po_number' for purchase-order lists){hint}. Headers read as serial: "
            f'{accepted_headers("serial")}; or map yours with --map "Your Header=serial"',
            1,
        )
    return mapping, ignored
