"""CSV inventories: streamed, strictly decoded, every row audited or rejected with its line.

Line numbers are physical: a row whose quoted cell spans three lines starts on the line
where its first cell starts, and the next row's number accounts for all three.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Callable, Iterator

from auditor.inventory.aliases import canonical_column
from auditor.inventory.errors import InventoryError
from auditor.inventory.fields import FieldError, parse_field
from auditor.inventory.table import TableBuilder
from auditor.limits import IGNORED_NAMES_KEPT, human_size, open_regular, shown_names
from auditor.model import InventorySource, Rejected

# A cell may be long (we reject it with a clear reason), but a runaway quote must not
# swallow gigabytes before failing.
FIELD_SIZE_LIMIT = 16 * 1024 * 1024
HIGH_CARDINALITY = {"serial", "mac", "po_number", "po_line"}

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
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise InventoryError(self.path, "file is UTF-16 encoded; save it as UTF-8 (CSV UTF-8 in Excel)", 1, 1)
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
                hint = " (it looks like Windows-1252/Latin-1)" if 0x80 <= raw[exc.start] <= 0xFF else ""
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
) -> tuple[InventorySource, list[Rejected], list[str]]:
    """Stream `path` into `builder`. Fatal problems raise InventoryError (exit 2)."""
    p = Path(path)
    if not p.exists():
        raise InventoryError(path, "no such file")
    if p.is_dir():
        raise InventoryError(path, "is a directory, not a CSV file")
    sha = hashlib.sha256()
    rejected: list[Rejected] = []
    warnings: list[str] = []
    try:
        fh = open_regular(p)
    except OSError as exc:
        raise InventoryError(path, f"cannot open: {exc.strerror}") from None
    with fh:
        _sniff(path, fh.read(8192))
        fh.seek(0)
        lines = _HashingLines(path, fh, sha)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InventoryError(path, f"malformed CSV header: {_csv_reason(exc)}", 1) from None
        if header is None or not any(h.strip() for h in header):
            raise InventoryError(path, "empty file: expected a header row naming the columns", 1)
        mapping, ignored = _map_header(path, header)
        columns = [c for _, c in mapping]
        positions = [i for i, _ in mapping]
        writer = builder.open_source(path, columns)
        # Per column: raw cell text -> dictionary code (or the FieldError it raises). Only for
        # low-cardinality columns; serials and MACs are nearly all distinct.
        caches = [None if c in HIGH_CARDINALITY else {} for c in columns]
        model_pos = columns.index("model")
        n_fields = len(header)
        rows_read = rows_audited = 0
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
            rows_read += 1
            if len(record) != n_fields and not (
                len(record) > n_fields and not any(c.strip() for c in record[n_fields:])
            ):
                rejected.append(Rejected(path, line, f"row has {len(record)} fields, the header has {n_fields}"))
                continue
            codes = []
            errors: list[FieldError] = []
            for j, cache in enumerate(caches):
                raw = record[positions[j]]
                code = cache.get(raw) if cache is not None else None
                if code is None:
                    try:
                        code = writer.code(j, parse_field(columns[j], raw))
                    except FieldError as exc:
                        code = exc
                    if cache is not None and len(cache) < 100_000:
                        cache[raw] = code
                if code.__class__ is not int:
                    errors.append(code)  # keep going: the officer fixes every field in one pass
                    code = 0
                codes.append(code)
            if codes[model_pos] == 0 and not any(e.column == "model" for e in errors):
                errors.append(FieldError("model", "model is empty (required)"))
            if errors:
                reason = errors[0].reason if len(errors) == 1 else "; ".join(str(e) for e in errors)
                rejected.append(Rejected(path, line, reason, errors[0].column))
                continue
            writer.add(codes, line)
            rows_audited += 1
            if progress and rows_read % 50_000 == 0:
                progress(rows_read)
        writer.close()
    if rows_read == 0:
        raise InventoryError(path, "has a header but no data rows: nothing to audit", 2)
    if ignored:
        warnings.append(f"{path}: {len(ignored):,} ignored column(s) with no canonical meaning: {shown_names(ignored)}")
    if "serial" not in columns and "po_line" not in columns:
        # Purchase-order list without line numbers: every line of one PO gets the same asset key.
        warnings.append(f"{path}: no serial and no PO line column: lines of one purchase order share an asset key")
    info = InventorySource(
        path=path,
        sha256=sha.hexdigest(),
        rows_read=rows_read,
        rows_audited=rows_audited,
        rows_rejected=len(rejected),
        columns=tuple(c for _, c in mapping),
        ignored_columns=tuple(ignored[:IGNORED_NAMES_KEPT]),
    )
    assert info.rows_read == info.rows_audited + info.rows_rejected
    return info, rejected, warnings


_CR_HINT = "; it uses carriage returns (CR) alone as line breaks: save it with LF or CRLF line breaks"


def _csv_reason(exc: csv.Error) -> str:
    """Python's csv messages, in our words where they give Python advice (universal newlines)."""
    if "new-line character seen in unquoted field" in str(exc):
        return ("a carriage return (CR) inside an unquoted cell: the file uses CR-only line breaks "
                "(old Mac format) or a cell holds a line break without quotes; save it with LF or CRLF "
                "line breaks")
    return str(exc)


_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook?); export the sheet as CSV UTF-8",
    b"%PDF": "a PDF document, not a CSV inventory",
    b"\xd0\xcf\x11\xe0": "a legacy Office file (.xls?); export the sheet as CSV UTF-8",
}


def _sniff(path: str, head: bytes) -> None:
    """Refuse binary files up front with one clear line instead of a decoding error."""
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InventoryError(path, f"binary file: {what}", 1, 1)
    nul = head.find(b"\x00")
    if nul >= 0 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = head.count(b"\n", 0, nul) + 1
        col = nul - (head.rfind(b"\n", 0, nul) + 1) + 1
        raise InventoryError(path, "binary file: contains NUL bytes, not a CSV inventory", line, col)


def _map_header(path: str, header: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
    mapping: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        column = canonical_column(name)
        if column is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if column in seen:
            raise InventoryError(
                path,
                f"columns {seen[column] + 1} ({header[seen[column]]!r}) and {i + 1} ({name!r}) both mean {column!r}",
                1,
                i + 1,
            )
        seen[column] = i
        mapping.append((i, column))
    if "model" not in seen:
        raise InventoryError(path, f"no 'model' column (header: {', '.join(h for h in header)[:200]})", 1)
    if "serial" not in seen and "po_number" not in seen:
        raise InventoryError(path, "no 'serial' column (or 'po_number' for purchase-order lists)", 1)
    return mapping, ignored
