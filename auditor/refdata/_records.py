"""Strict reading of reference-data TOML files: arrays of tables, validated field by field.

Reference data (tariff schedule, facility registry, firmware advisories, approved firmware)
is edited by compliance officers, so every mistake must name the file and line. `tomllib`
keeps no positions, so records are located by their `[[table]]` header lines, and keys by
their `key =` line inside the record's span.

Floats are parsed as `Decimal` (rates and money never pass through binary floating point).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from auditor.errors import location

CONFIDENCES = ("P", "R", "U")


class RefDataError(ValueError):
    """An invalid reference-data file; `path:line: message` (exit 2 at the command line)."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{location(path, line or None)}: {message}")


@dataclass
class RawRecord:
    """One `[[table]]` entry with enough position data to point at its keys."""

    path: str
    table: str
    data: dict[str, Any]
    line: int  # line of the `[[table]]` header
    lines: list[str]  # the file's lines (shared)
    end: int  # index (0-based, exclusive) of the first line after the record

    def line_of(self, key: str) -> int:
        pat = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for i in range(self.line, self.end):  # self.line is 1-based header => i is the next line
            if pat.match(self.lines[i]):
                return i + 1
        return self.line

    def error(self, message: str, key: str | None = None) -> RefDataError:
        return RefDataError(self.path, self.line_of(key) if key else self.line, message)


def read_file(path: str | Path) -> tuple[str, str, dict[str, Any]]:
    """(text, sha256, parsed document); errors carry file and line."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RefDataError(str(path), None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefDataError(str(path), None, f"not UTF-8 (byte {exc.start})") from None
    try:
        doc = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if m:
            msg += f" (column {m.group(2)})"
        raise RefDataError(str(path), line, f"invalid TOML: {msg}") from None
    return text, hashlib.sha256(raw).hexdigest(), doc


def records(path: str, text: str, doc: dict[str, Any], tables: Iterable[str]) -> dict[str, list[RawRecord]]:
    """Split a parsed document into its `[[table]]` records; any other top-level key is an error."""
    tables = tuple(tables)
    lines = text.splitlines()
    for key, value in doc.items():
        if key not in tables:
            line = _first_line(lines, key)
            raise RefDataError(path, line, f"unknown top-level key {key!r} (expected {', '.join(f'[[{t}]]' for t in tables)})")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise RefDataError(path, _first_line(lines, key), f"{key!r} must be written as [[{key}]] tables")
    # Header positions of every array-of-tables entry, in file order.
    header = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_\-]+)\s*\]\]")
    heads: list[tuple[int, str]] = []
    for i, ln in enumerate(lines):
        m = header.match(ln)
        if m:
            heads.append((i, m.group(1)))
    out: dict[str, list[RawRecord]] = {t: [] for t in tables}
    seen: dict[str, int] = {t: 0 for t in tables}
    for n, (i, name) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        if name not in tables:
            continue  # reported above as an unknown top-level key
        items = doc.get(name, [])
        k = seen[name]
        seen[name] += 1
        if k >= len(items):  # inline array form mixed in; cannot locate precisely
            raise RefDataError(path, i + 1, f"could not locate [[{name}]] record {k + 1}")
        out[name].append(RawRecord(path, name, items[k], i + 1, lines, end))
    for t in tables:
        if len(doc.get(t, [])) != len(out[t]):
            raise RefDataError(path, _first_line(lines, t), f"write each {t} record as its own [[{t}]] table")
    return out


def _first_line(lines: list[str], key: str) -> int | None:
    pat = re.compile(r"^\s*(\[\[?\s*)?[\"']?" + re.escape(key) + r"[\"']?\s*(=|\]|\.)")
    for i, ln in enumerate(lines):
        if pat.match(ln):
            return i + 1
    return None


class Fields:
    """Typed, strict access to one record's keys; every key must be consumed or it is unknown."""

    def __init__(self, rec: RawRecord):
        self.rec = rec
        self.used: set[str] = set()

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.rec.data:
            if required:
                raise self.rec.error(f"[[{self.rec.table}]] is missing required key {key!r}")
            return None
        return self.rec.data[key]

    def string(self, key: str, required: bool = True, choices: Iterable[str] | None = None) -> str | None:
        v = self._get(key, required)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip():
            raise self.rec.error(f"{key!r} must be a non-empty string", key)
        if choices is not None and v not in tuple(choices):
            raise self.rec.error(f"{key!r} is {v!r}; expected one of: {', '.join(choices)}", key)
        return v.strip()

    def strings(self, key: str, required: bool = True) -> tuple[str, ...] | None:
        v = self._get(key, required)
        if v is None:
            return None
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not v or not all(isinstance(s, str) and s.strip() for s in v):
            raise self.rec.error(f"{key!r} must be a non-empty list of non-empty strings", key)
        return tuple(s.strip() for s in v)

    def day(self, key: str, required: bool = False) -> date | None:
        v = self._get(key, required)
        if v is None:
            return None
        # TOML dates parse to datetime.date; a datetime is a subclass and is refused.
        from datetime import datetime

        if not isinstance(v, date) or isinstance(v, datetime):
            raise self.rec.error(f"{key!r} must be a TOML date such as 2025-06-18 (unquoted)", key)
        return v

    def decimal(self, key: str, required: bool = True, minimum: Decimal | None = None) -> Decimal | None:
        v = self._get(key, required)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
            raise self.rec.error(f"{key!r} must be a number such as 25 or 2.6", key)
        d = Decimal(v)
        if not d.is_finite() or (minimum is not None and d < minimum):
            raise self.rec.error(f"{key!r} must be a finite number ≥ {minimum}", key)
        return d

    def confidence(self) -> str:
        return self.string("confidence", choices=CONFIDENCES)  # type: ignore[return-value]

    def country(self, key: str, required: bool = True, wildcard: bool = False) -> str | None:
        v = self.string(key, required)
        if v is None:
            return None
        if wildcard and v == "*":
            return v
        import pycountry

        if len(v) != 2 or not v.isupper() or pycountry.countries.get(alpha_2=v) is None:
            extra = ' or "*" for every country' if wildcard else ""
            raise self.rec.error(f"{key!r} is {v!r}: expected an ISO 3166-1 alpha-2 code such as CN{extra}", key)
        return v

    def origins(self, key: str = "origin", except_key: str = "except") -> tuple[frozenset[str] | None, frozenset[str]]:
        """`origin = "CN"`, `origin = ["CN", "HK"]` or `origin = "*"` (optionally with
        `except = [...]`) → (the origins covered or None for every origin, the excluded ones)."""
        v = self._get(key, True)
        codes = [v] if isinstance(v, str) else v
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise self.rec.error(f"{key!r} must be a country code, a list of them, or \"*\"", key)
        excluded = self.strings(except_key, required=False) or ()
        if codes == ["*"]:
            return None, frozenset(self._country_code(except_key, c) for c in excluded)
        if excluded:
            raise self.rec.error(f"{except_key!r} is only allowed with {key} = \"*\"", except_key)
        return frozenset(self._country_code(key, c) for c in codes), frozenset()

    def _country_code(self, key: str, v: str) -> str:
        import pycountry

        if len(v) != 2 or not v.isupper() or pycountry.countries.get(alpha_2=v) is None:
            raise self.rec.error(f"{key!r} has {v!r}: expected ISO 3166-1 alpha-2 codes such as CN", key)
        return v

    def flag(self, key: str) -> bool:
        v = self._get(key, False)
        if v is None:
            return False
        if not isinstance(v, bool):
            raise self.rec.error(f"{key!r} must be true or false", key)
        return v

    def finish(self) -> None:
        unknown = sorted(set(self.rec.data) - self.used)
        if unknown:
            key = unknown[0]
            raise self.rec.error(
                f"unknown key {key!r} in [[{self.rec.table}]] (allowed: {', '.join(sorted(self.used))})", key
            )


def check_window(rec: RawRecord, start: date | None, until: date | None, from_key: str = "from") -> None:
    if start and until and until <= start:
        raise rec.error(f"'until' ({until}) must be after {from_key!r} ({start}); 'until' is exclusive", "until")


def in_window(on: date, start: date | None, until: date | None) -> bool:
    """`start` inclusive, `until` exclusive; a missing bound is open."""
    return (start is None or on >= start) and (until is None or on < until)


DATA_DIR = Path(__file__).resolve().parent / "data"


def display_path(path: str | Path) -> str:
    """Bundled files are named package-relative so reports do not depend on the install path."""
    p = Path(path)
    try:
        return "auditor/refdata/data/" + p.resolve().relative_to(DATA_DIR).as_posix()
    except ValueError:
        return str(path)
