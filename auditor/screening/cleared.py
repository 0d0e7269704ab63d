"""The reviewed file of decided false positives ("cleared matches").

A compliance officer who has checked that a screening hit is not the listed party records
the decision, and the same pair is then reported as cleared instead of raising a finding
again. One TOML table per decision::

    [[cleared]]
    name = "Belle Technology Corp"          # the screened name, as in the inventory
    list = "Entity List (EL) - Bureau of Industry and Security"
    entity_id = "25c5ab3e"                   # the list entry's id
    reviewer = "A. Officer"
    justification = "Different company: Belle Technology is registered in Norway, ..."
    date = 2026-03-02                        # date of the decision

A decision covers one name against one list entry: a new alias, another entry or another
list raises the hit again. Names compare by their normalised form, so "BELLE TECHNOLOGY
CORP." is the same name as "Belle Technology Corp". Loading is strict: a missing, empty or
unknown field, a value of the wrong type or a repeated decision is an error naming the file
and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from auditor.screening.normalize import normalise_name
from auditor.tomlfile import TomlFileError, read_toml

REQUIRED_FIELDS = ("name", "list", "entity_id", "reviewer", "justification", "date")
_HEADER_RE = re.compile(r"^\s*\[\[\s*cleared\s*\]\]\s*(#.*)?$")


class ClearedFileError(ValueError):
    """A cleared-matches file that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class ClearedMatch:
    name: str
    list_name: str
    entity_id: str
    reviewer: str
    justification: str
    date: date
    file: str = ""
    line: int = 0

    def covers(self, query: str, match: Any) -> bool:
        """True if this decision clears ``match`` (a `screener.Match`) for the screened
        name ``query``: same list, same entry, same name once normalised."""
        return (
            self.list_name == match.list_name
            and self.entity_id == match.entity_id
            and normalise_name(self.name).key == normalise_name(query).key
        )


def _fail(path: Path, line: int | None, message: str, column: int | None = None) -> ClearedFileError:
    where = f"{path}:{line}" if line else str(path)
    if line and column:
        where += f":{column}"
    return ClearedFileError(f"{where}: {message}")


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(start, end):
        if pattern.match(lines[number - 1]):
            return number
    return None


def _text(path: Path, line: int, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(path, line, f"'{key}' must be a string (quote it), got {value!r}")
    if not value.strip():
        raise _fail(path, line, f"'{key}' is empty")
    return value.strip()


def _date(path: Path, line: int, value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, (date, str)):
        raise _fail(path, line, f"'date' must be a date like 2026-03-02, got {value!r}")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise _fail(path, line, f"'date' must be a date like 2026-03-02, got {value!r}") from None
    return value


def load_cleared(path: str | Path) -> list[ClearedMatch]:
    """Read and validate a cleared-matches file (see the module docstring)."""
    path = Path(path)
    try:
        parsed = read_toml(path, what="cleared-matches file")
    except TomlFileError as exc:
        raise _fail(path, exc.line, exc.message, exc.column) from None
    text, document = parsed.text, parsed.data

    lines = text.splitlines()
    for key in document:
        if key != "cleared":
            raise _fail(path, _key_line(lines, 1, len(lines) + 1, key),
                        f"unknown key '{key}' (expected [[cleared]] tables)")
    tables = document.get("cleared", [])
    headers = [n for n, line in enumerate(lines, start=1) if _HEADER_RE.match(line)]
    if not isinstance(tables, list) or len(headers) != len(tables):
        raise _fail(path, _key_line(lines, 1, len(lines) + 1, "cleared"),
                    "write each decision as a [[cleared]] table")

    result: list[ClearedMatch] = []
    first_seen: dict[tuple, int] = {}
    for index, table in enumerate(tables):
        start = headers[index]
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        for key in table:
            if key not in REQUIRED_FIELDS:
                raise _fail(path, _key_line(lines, start, end, key) or start,
                            f"unknown field '{key}' (allowed: {', '.join(REQUIRED_FIELDS)})")
        missing = [key for key in REQUIRED_FIELDS if key not in table]
        if missing:
            raise _fail(path, start, f"[[cleared]] entry lacks {', '.join(repr(k) for k in missing)}")

        def line_of(key: str) -> int:
            return _key_line(lines, start, end, key) or start

        entry = ClearedMatch(
            name=_text(path, line_of("name"), "name", table["name"]),
            list_name=_text(path, line_of("list"), "list", table["list"]),
            entity_id=_text(path, line_of("entity_id"), "entity_id", table["entity_id"]),
            reviewer=_text(path, line_of("reviewer"), "reviewer", table["reviewer"]),
            justification=_text(path, line_of("justification"), "justification", table["justification"]),
            date=_date(path, line_of("date"), table["date"]),
            file=str(path),
            line=start,
        )
        identity = (normalise_name(entry.name).key, entry.list_name, entry.entity_id)
        if identity in first_seen:
            raise _fail(path, start, f"the same decision is already recorded at line {first_seen[identity]}")
        first_seen[identity] = start
        result.append(entry)
    return result


def find_clearance(query: str, match: Any, cleared: Iterable[ClearedMatch]) -> ClearedMatch | None:
    """The recorded decision that clears ``match`` (a `screener.Match`) for the screened
    name ``query``, or None."""
    for decision in cleared:
        if decision.covers(query, match):
            return decision
    return None


def is_cleared(query: str, match: Any, cleared: Iterable[ClearedMatch]) -> bool:
    return find_clearance(query, match, cleared) is not None
