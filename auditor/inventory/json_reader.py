"""JSON and JSON Lines inventories: every element audited or rejected with its line.

Accepted shapes:
- a JSON document (`.json`): a top-level array of rig objects, or an object whose `rigs` (or
  `inventory`) member is that array; its other top-level members are ignored with a warning;
- JSON Lines (`.jsonl`, `.ndjson`): one rig object per line; blank lines are not rows.

Line numbers: for JSON Lines the physical line; for a JSON document the line where the element
starts (its `{`). Malformed JSON is fatal (InventoryError with line and column, exit 2), as an
unterminated quote is in a CSV file.

Memory: JSON Lines are streamed a line at a time (a line is capped at LINE_LIMIT). A JSON document
is read and decoded whole — its text (about the file's size, more for non-ASCII text) is held
while the elements are decoded one at a time with `raw_decode`, so only one rig's objects exist
at once and rows go straight into the column store.

Keys are header names: the aliases of `aliases.py` apply (`"Serial Number"` means `serial`);
keys that name no canonical column are ignored with a warning; two keys of one object meaning
the same column reject that row. Objects need not share keys: a missing key is an empty cell.

Values are validated by `fields.parse_field` exactly as CSV cells:
- a string is the cell text, so `"NO"` is Norway and `"8543.70"` stays `8543.70`;
- null is an empty cell;
- a number is accepted only in the numeric columns (NUMBER_COLUMNS), read from its literal text
  (`7900.00` is the decimal 7900.00, never a float). In any other column the row is rejected:
  a code or identifier typed as a number has usually lost digits before it reached us
  (HTS `8543.70` written by a JSON tool is `8543.7`; serial `00123` is `123`), and guessing the
  original would be worse than asking for a string;
- true/false, NaN/Infinity (not JSON), nested objects and arrays reject the row with the reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from json.decoder import scanstring
from pathlib import Path
from typing import Any, Callable, Iterator

from auditor.filekind import binary_content
from auditor.inventory.aliases import HeaderMap, canonical_column, header_key
from auditor.inventory.errors import InventoryError
from auditor.inventory.fields import FieldError, parse_field
from auditor.inventory.options import DEFAULT, ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.limits import JSON_DOCUMENT_MAX_BYTES, TooLarge, open_regular, read_capped
from auditor.model import PARTY_COLUMNS, InventorySource, Rejected

# Columns where a JSON number is the natural spelling and its literal text parses exactly.
NUMBER_COLUMNS = frozenset({"quantity", "po_line", "unit_price_usd", "declared_value_usd"})
# Top-level object members that may hold the rows (compared as headers: "Rigs" works too).
ROW_ARRAY_KEYS = ("rigs", "inventory")
HIGH_CARDINALITY = {"serial", "mac", "po_number", "po_line"}
LINE_LIMIT = 16 * 1024 * 1024  # one JSON Lines record; a file without newlines must not fill memory
MAX_IGNORED_KEYS = 100  # distinct unknown keys remembered for the warning
MAX_KEY_SPELLINGS = 10_000  # key -> column cache; objects with ever-new keys must not grow it forever

TOO_DEEP = "arrays or objects nested too deeply to be an inventory row"
_WS = re.compile(r"[ \t\n\r]*")  # JSON whitespace (str.strip() would accept more)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _Number(str):
    """A JSON number kept as its literal text (never converted to float)."""


class _Constant(str):
    """NaN, Infinity or -Infinity: accepted by Python's json, but not JSON."""


class _Object(list):
    """A JSON object as its (key, value) pairs in document order (duplicates kept)."""


_DECODER = json.JSONDecoder(
    object_pairs_hook=_Object, parse_float=_Number, parse_int=_Number, parse_constant=_Constant
)


def read_json(
    path: str, builder: TableBuilder, progress: Callable[[int], None] | None = None,
    options: ReadOptions = DEFAULT,
) -> tuple[InventorySource, list[Rejected], list[str]]:
    """Read a JSON document (array of rig objects, or {"rigs": [...]}) into `builder`."""
    raw = _read_bytes(path)
    sha = hashlib.sha256(raw).hexdigest()
    text = _decode(path, raw)
    del raw
    sink = _RowSink(path, builder, progress, HeaderMap(options.column_map), options.party_columns)
    doc = _Document(path, text)
    for line, element in doc.elements():
        sink.add(line, element)
    if doc.ignored_members:
        sink.warnings.append(f"{path}: ignored top-level keys: {', '.join(doc.ignored_members)}")
    return sink.finish(sha, doc.array_line)


def read_json_lines(
    path: str, builder: TableBuilder, progress: Callable[[int], None] | None = None,
    options: ReadOptions = DEFAULT,
) -> tuple[InventorySource, list[Rejected], list[str]]:
    """Stream a JSON Lines file (one rig object per line) into `builder`."""
    _check_path(path)
    sha = hashlib.sha256()
    sink = _RowSink(path, builder, progress, HeaderMap(options.column_map), options.party_columns)
    try:
        fh = open_regular(path)
    except OSError as exc:
        raise InventoryError(path, f"cannot open: {exc.strerror}") from None
    with fh:
        lineno = 0
        while True:
            raw = fh.readline(LINE_LIMIT + 1)
            if not raw:
                break
            lineno += 1
            sha.update(raw)
            if len(raw) > LINE_LIMIT:
                raise InventoryError(path, f"line is longer than {LINE_LIMIT // (1024 * 1024)} MiB", lineno)
            if lineno == 1:
                _check_start(path, raw)
            text = _decode(path, raw, lineno)
            start = _WS.match(text).end()
            if start == len(text):
                continue  # blank line: not a row
            try:
                value, end = _DECODER.raw_decode(text, start)
            except RecursionError:
                raise InventoryError(path, f"malformed JSON: {TOO_DEEP}", lineno, start + 1) from None
            except json.JSONDecodeError as exc:
                hint = " (a JSON array? name the file .json)" if lineno == 1 and text[start] == "[" else ""
                # An error after the last character (a record cut short) is reported at the line's end.
                column = min(exc.pos, len(text.rstrip("\r\n"))) + 1
                raise InventoryError(path, f"malformed JSON: {exc.msg}{hint}", lineno, column) from None
            end = _WS.match(text, end).end()
            if end != len(text):
                raise InventoryError(
                    path, "malformed JSON Lines: more than one value on the line", lineno, end + 1
                )
            sink.add(lineno, value)
    return sink.finish(sha.hexdigest(), None)


class _Document:
    """Walks one JSON document's text, yielding (line, element) for each row element."""

    def __init__(self, path: str, text: str):
        self.path, self.text = path, text
        self.ignored_members: list[str] = []
        self.array_line = 1
        self._pos, self._line = 0, 1  # newline count up to _pos, advanced monotonically

    def line_at(self, idx: int) -> int:
        self._line += self.text.count("\n", self._pos, idx)
        self._pos = idx
        return self._line

    def malformed(self, message: str, idx: int) -> InventoryError:
        where = json.JSONDecodeError(message, self.text, idx)  # computes line and column
        return InventoryError(self.path, f"malformed JSON: {message}", where.lineno, where.colno)

    def skip_ws(self, idx: int) -> int:
        return _WS.match(self.text, idx).end()

    def decode(self, idx: int) -> tuple[Any, int]:
        try:
            return _DECODER.raw_decode(self.text, idx)
        except json.JSONDecodeError as exc:
            raise self.malformed(exc.msg, exc.pos) from None
        except RecursionError:
            raise self.malformed(TOO_DEEP, idx) from None

    def expect(self, idx: int, allowed: str, message: str) -> str:
        if idx >= len(self.text):
            raise self.malformed(f"unexpected end of file: {message}", idx)
        if self.text[idx] not in allowed:
            raise self.malformed(message, idx)
        return self.text[idx]

    def elements(self) -> Iterator[tuple[int, Any]]:
        text = self.text
        idx = self.skip_ws(0)
        if idx == len(text):
            raise InventoryError(self.path, 'empty file: expected a JSON array of rig objects (or {"rigs": [...]})', 1)
        first = text[idx]
        if first == "[":
            idx = yield from self._array(idx)
        elif first == "{":
            idx = yield from self._wrapper(idx)
        else:
            value, _ = self.decode(idx)
            line = self.line_at(idx)
            raise InventoryError(
                self.path,
                f'the document is {_describe(value)}; expected an array of rig objects or {{"rigs": [...]}}',
                line,
                idx - text.rfind("\n", 0, idx),
            )
        idx = self.skip_ws(idx)
        if idx != len(text):
            raise self.malformed("extra data after the JSON document (JSON Lines? name the file .jsonl)", idx)

    def _array(self, idx: int) -> Iterator[tuple[int, Any]]:
        """Elements of the array whose `[` is at idx; returns the index after its `]`."""
        self.array_line = self.line_at(idx)
        idx = self.skip_ws(idx + 1)
        if self.text.startswith("]", idx):
            return idx + 1
        while True:
            line = self.line_at(idx)
            value, idx = self.decode(idx)
            yield line, value
            idx = self.skip_ws(idx)
            if self.expect(idx, ",]", "expected ',' or ']' after an array element") == "]":
                return idx + 1
            idx = self.skip_ws(idx + 1)

    def _wrapper(self, idx: int) -> Iterator[tuple[int, Any]]:
        """A top-level object: stream its `rigs` array, skip its other members."""
        text = self.text
        found: str | None = None
        rig_like = False  # a member named like a column: the document is one rig, not a list
        idx = self.skip_ws(idx + 1)
        if not text.startswith("}", idx):
            while True:
                self.expect(idx, '"', "expected a member name in double quotes")
                key_at = idx
                try:
                    key, idx = scanstring(text, idx + 1)
                except json.JSONDecodeError as exc:
                    raise self.malformed(exc.msg, exc.pos) from None
                idx = self.skip_ws(idx)
                self.expect(idx, ":", "expected ':' after a member name")
                idx = self.skip_ws(idx + 1)
                if header_key(key) in ROW_ARRAY_KEYS:
                    line = self.line_at(key_at)
                    if found is not None:
                        what = f"{key!r} is given twice" if found == key else f"both {found!r} and {key!r} hold rows"
                        raise InventoryError(self.path, f"{what}: give one array of rig objects", line)
                    found = key
                    if not text.startswith("[", idx):
                        raise InventoryError(self.path, f"{key!r} must be an array of rig objects", line)
                    idx = yield from self._array(idx)
                else:
                    rig_like = rig_like or canonical_column(key) is not None
                    if len(self.ignored_members) < MAX_IGNORED_KEYS:
                        self.ignored_members.append(_printable(key))
                    _, idx = self.decode(idx)
                idx = self.skip_ws(idx)
                if self.expect(idx, ",}", "expected ',' or '}' after an object member") == "}":
                    break
                idx = self.skip_ws(idx + 1)
        if found is None:
            hint = (" (it looks like one rig: put rigs in an array, or one per line in a .jsonl file)"
                    if rig_like else "")
            raise InventoryError(
                self.path, f"the top-level object has no 'rigs' (or 'inventory') array of rig objects{hint}", 1
            )
        return idx + 1


class _RowSink:
    """Validates decoded elements into one source of the column store."""

    def __init__(self, path: str, builder: TableBuilder, progress: Callable[[int], None] | None,
                 keys: HeaderMap | None = None, party_columns: frozenset[str] = PARTY_COLUMNS):
        self.path, self.progress = path, progress
        self.keys = keys or HeaderMap()  # key -> column: aliases and the officer's --map
        # Every canonical column: objects need not share keys (absent columns stay empty).
        self.writer = builder.open_source(path)
        self.columns = self.writer.columns
        self.position = {c: j for j, c in enumerate(self.columns)}
        self.model_pos = self.position["model"]
        # Per column: string value -> dictionary code (or its FieldError); not for serials/MACs.
        self.caches = [None if c in HIGH_CARDINALITY else {} for c in self.columns]
        self.key_position: dict[str, int] = {}  # key spelling -> column position (-1: ignored)
        self.seen: dict[str, None] = {}  # canonical columns present, in first-seen order
        self.ignored: dict[str, None] = {}
        self.more_ignored = False
        self.rejected: list[Rejected] = []
        self.party_columns = party_columns  # what a rejected element keeps (`_rejected`)
        self.warnings: list[str] = []
        self.rows_read = self.rows_audited = self.objects = 0

    def add(self, line: int, element: Any) -> None:
        self.rows_read += 1
        error = self._row(line, element)
        if error is not None:
            self.rejected.append(self._rejected(line, element, error))
        else:
            self.rows_audited += 1
        if self.progress and self.rows_read % 50_000 == 0:
            self.progress(self.rows_read)

    def _row(self, line: int, element: Any) -> FieldError | None:
        if type(element) is not _Object:
            return FieldError(None, f"expected an object of fields, found {_describe(element)}")
        self.objects += 1
        # Pass 1: keys -> column positions (every key is looked at, so columns present are known
        # even when the row is rejected). A bit per column detects two keys meaning one column.
        fields: list[tuple[int, Any]] = []
        taken = 0
        duplicate = -1
        key_position = self.key_position
        for key, value in element:
            j = key_position.get(key)
            if j is None:
                j = self._learn(key)
            if j < 0:
                continue
            bit = 1 << j
            if taken & bit and duplicate < 0:
                duplicate = j
            taken |= bit
            fields.append((j, value))
        if duplicate >= 0:
            return self._duplicate(element, duplicate)
        # Pass 2: values, validated exactly as CSV cells (string values cached per column).
        codes = [0] * len(self.columns)
        caches = self.caches
        for j, value in fields:
            if value.__class__ is str:
                cache = caches[j]
                code = cache.get(value) if cache is not None else None
                if code is None:
                    code = self._parse(j, value)
                    if cache is not None and len(cache) < 100_000:
                        cache[value] = code
            else:
                code = self._non_string(j, value)
            if code.__class__ is not int:
                return code
            codes[j] = code
        if codes[self.model_pos] == 0:
            return FieldError("model", "model is empty (required)")
        self.writer.add(codes, line)
        return None

    def _rejected(self, line: int, element: Any, error: FieldError) -> Rejected:
        """The rejected element with its well-formed party names and serial, to be screened all
        the same (engine/rejected.py). `_row` stops at the first fault: a party value that is at
        fault too is not screened, and the reason says so."""
        reason = error.reason
        if type(element) is not _Object:
            return Rejected(self.path, line, reason, error.column)
        values: dict[str, Any] = {}
        twice: set[str] = set()
        for key, value in element:
            column = self.keys.column(key)
            if column is None or (column not in self.party_columns and column != "serial"):
                continue
            if column in values:
                twice.add(column)  # which of two values is meant is not known: neither is screened
            values[column] = value
        kept: list[tuple[str, str]] = []
        serial = None
        for column in self.columns:
            value = values.get(column)
            if value is None or column in twice or column == error.column:
                continue
            if value.__class__ is not str:
                reason += f"; {column}: {_describe(value)} where a string is expected (not screened)"
                continue
            try:
                if not value.isascii() and _SURROGATE.search(value):
                    raise FieldError(column, "contains an unpaired \\u surrogate escape (not a character)")
                text = parse_field(column, value)
            except FieldError as exc:
                reason += f"; {exc} (not screened)"
                continue
            if text is None:
                continue
            if column == "serial":
                serial = str(text)
            else:
                kept.append((column, str(text)))
        return Rejected(self.path, line, reason, error.column, parties=tuple(kept), serial=serial)

    def _learn(self, key: str) -> int:
        """Position of the column a key means (-1: none, ignored with a warning); cached."""
        column = self.keys.column(key)
        if column is None:
            self._ignore(key)
            j = -1
        else:
            self.seen.setdefault(column)
            j = self.position[column]
        if len(self.key_position) < MAX_KEY_SPELLINGS:
            self.key_position[key] = j
        return j

    def _duplicate(self, element: _Object, j: int) -> FieldError:
        column = self.columns[j]
        first, second = [key for key, _ in element if self.keys.column(key) == column][:2]
        what = f"key {first!r} is given twice" if first == second else f"keys {first!r} and {second!r} both mean {column!r}"
        return FieldError(column, what)

    def _non_string(self, j: int, value: Any) -> int | FieldError:
        column = self.columns[j]
        kind = type(value)
        if value is None:
            return 0
        if kind is _Number:
            if column in NUMBER_COLUMNS:
                return self._parse(j, str(value))
            return FieldError(
                column,
                f"JSON number {value} where a string is expected: write codes and identifiers in quotes "
                f'("{value}"); as numbers they lose digits (HTS 8543.70 becomes 8543.7, serial 00123 becomes 123)',
            )
        if kind is bool:
            return FieldError(column, f"JSON {'true' if value else 'false'} where a string is expected")
        if kind is _Constant:
            return FieldError(column, f"{value} is not valid JSON")
        if kind is _Object:
            return FieldError(column, "nested JSON object where a single value is expected")
        return FieldError(column, "JSON array where a single value is expected")

    def _parse(self, j: int, text: str) -> int | FieldError:
        column = self.columns[j]
        if not text.isascii() and _SURROGATE.search(text):
            return FieldError(column, "contains an unpaired \\u surrogate escape (not a character)")
        try:
            return self.writer.code(j, parse_field(column, text))
        except FieldError as exc:
            return exc

    def _ignore(self, key: str) -> None:
        name = _printable(key.strip())
        if not name or name in self.ignored:
            return
        if len(self.ignored) < MAX_IGNORED_KEYS:
            self.ignored[name] = None
        else:
            self.more_ignored = True

    def finish(self, sha256: str, array_line: int | None) -> tuple[InventorySource, list[Rejected], list[str]]:
        self.writer.close()
        self.writer.builder.source_columns[self.writer.index] = frozenset(self.seen)
        path = self.path
        if self.rows_read == 0:
            raise InventoryError(path, "has no data rows: nothing to audit", array_line)
        columns = tuple(self.seen)
        if self.objects == 0:
            first = self.rejected[0]
            raise InventoryError(path, f"no rig objects: {first.reason}", first.line)
        if "model" not in self.seen:
            raise InventoryError(path, "no object has a 'model' key (or an alias such as 'Miner Model')")
        if "serial" not in self.seen and "po_number" not in self.seen:
            raise InventoryError(path, "no object has a 'serial' key (or 'po_number' for purchase-order lists)")
        warnings = list(self.warnings)
        if self.ignored:
            more = " and more" if self.more_ignored else ""
            warnings.append(f"{path}: ignored keys with no canonical meaning: {', '.join(self.ignored)}{more}")
        if "serial" not in self.seen and "po_line" not in self.seen:
            warnings.append(f"{path}: no serial and no PO line key: lines of one purchase order share an asset key")
        info = InventorySource(
            path=path,
            sha256=sha256,
            rows_read=self.rows_read,
            rows_audited=self.rows_audited,
            rows_rejected=len(self.rejected),
            columns=columns,
            ignored_columns=tuple(self.ignored),
        )
        assert info.rows_read == info.rows_audited + info.rows_rejected
        return info, self.rejected, warnings


def _describe(value: Any) -> str:
    kind = type(value)
    if kind is _Object:
        return "an object"
    if kind is list:
        return "an array"
    if kind is _Number:
        return f"the number {value}"
    if kind is _Constant:
        return f"{value} (not valid JSON)"
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    return "a string"


def _printable(text: str) -> str:
    """Key names for messages: unpaired surrogates escaped so the warning can be printed."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_path(path: str) -> None:
    p = Path(path)
    if not p.exists():
        raise InventoryError(path, "no such file")
    if p.is_dir():
        raise InventoryError(path, "is a directory, not a JSON file")


def _read_bytes(path: str) -> bytes:
    """The whole document, at most JSON_DOCUMENT_MAX_BYTES (a regular file only: never /dev/zero)."""
    _check_path(path)
    try:
        raw = read_capped(path, JSON_DOCUMENT_MAX_BYTES, "a .json document")
    except TooLarge as exc:
        raise InventoryError(path, f"{exc.strerror}; write larger fleets as JSON Lines (.jsonl), "
                                   "which is read one line at a time") from None
    except OSError as exc:
        raise InventoryError(path, f"cannot open: {exc.strerror}") from None
    _check_start(path, raw)
    return raw


def _check_start(path: str, head: bytes) -> None:
    """Refuse binary files (``auditor.filekind``'s signatures; a NUL byte is ``_decode``'s to
    report, with its UTF-16 hint) and UTF-16/32 up front with one clear line."""
    found = binary_content(head)
    if found is not None and not found.nul:
        advice = f"; {found.advice}" if found.advice else ""
        raise InventoryError(path, f"binary file: {found.what}, not a JSON inventory{advice}", 1, 1)
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise InventoryError(path, "file is UTF-16/UTF-32 encoded; save it as UTF-8", 1, 1)


def _decode(path: str, raw: bytes, first_line: int = 1) -> str:
    """Strict UTF-8 (BOM stripped); NUL bytes and other encodings are fatal with line:column."""
    if first_line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _where(raw, nul)
        raise InventoryError(
            path, "contains NUL bytes: not a UTF-8 JSON file (UTF-16 without BOM, or binary?)",
            first_line + line - 1, col,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _where(raw, exc.start)
        byte = raw[exc.start]
        hint = " (it looks like Windows-1252/Latin-1)" if byte >= 0x80 else ""
        raise InventoryError(
            path, f"not valid UTF-8: byte 0x{byte:02x}{hint}; save the file as UTF-8", first_line + line - 1, col
        ) from None


def _where(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", "replace")) + 1
