"""The reviewed file of decided false positives ("cleared matches"); format in docs/CLEARED.md.

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
    review_by = 2027-03-02                   # optional: default one year after `date`

A decision covers one listed party (list and entry) for every spelling of the screened
name that normalises to the same words: "BELLE TECHNOLOGY CORP.", "Belle Technology Ltd"
and "Belle Technology Corp" are one decision. Another entry or another list raises the hit
again. A decision does not clear, and the finding carries a note saying why, when

* the audit date is after its ``review_by`` date (it resurfaces for review);
* it is dated after the audit date (it cannot have been made for this audit);
* it is dated before the party was listed (the listing is news the reviewer did not see).

Loading is strict: a missing, empty or unknown field, a value of the wrong type, a review
date before the decision or a repeated decision is an error naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import date as Date  # the class below has a field named `date`
from pathlib import Path
from typing import Any, Iterable

from auditor.screening.normalize import normalise_name
from auditor.tomlfile import TomlFileError, read_toml

REQUIRED_FIELDS = ("name", "list", "entity_id", "reviewer", "justification", "date")
OPTIONAL_FIELDS = ("review_by",)
# A decision without a review date is reviewed again a year after it was made.
DEFAULT_REVIEW_DAYS = 365
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
    date: Date
    file: str = ""
    line: int = 0
    review_by: Date | None = None  # None: DEFAULT_REVIEW_DAYS after `date`

    @property
    def review_date(self) -> Date:
        return self.review_by or self.date + timedelta(days=DEFAULT_REVIEW_DAYS)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""

    def covers(self, query: str, match: Any) -> bool:
        """True if this decision is about ``match`` (a `screener.Match`) for the screened
        name ``query``: same list, same entry, same words once normalised (legal forms and
        spelling aside). A match found through one of the names a value writes ("Acme Power
        dba Schneider Electric": ``screener.name_parts``) is covered by a decision on that name."""
        part = (getattr(match, "explanation", None) or {}).get("query_part")
        return (
            self.list_name == match.list_name
            and self.entity_id == match.entity_id
            and (_same_name(self.name, query) or (isinstance(part, str) and _same_name(self.name, part)))
        )

    def not_applicable(self, match: Any, as_of: Date) -> str | None:
        """Why this decision does not clear ``match`` in an audit dated ``as_of``, or None."""
        where = f" ({self.where})" if self.where else ""
        if self.date > as_of:
            return (f"cleared decision of {self.date.isoformat()}{where} is dated after the audit date "
                    f"{as_of.isoformat()}: it cannot clear this audit")
        start = getattr(getattr(match, "entry", None), "start", None)
        if start is not None and self.date < start:
            return (f"cleared decision of {self.date.isoformat()}{where} predates the listing of "
                    f"{start.isoformat()}: the party was listed since, review the match again")
        if as_of > self.review_date:
            return (f"cleared decision of {self.date.isoformat()}{where} was due for review on "
                    f"{self.review_date.isoformat()}: review the match again")
        return None


def _same_name(a: str, b: str) -> bool:
    one, two = normalise_name(a), normalise_name(b)
    return (_without_address(one.tokens, one.annotations), one.qualifiers) == (
        _without_address(two.tokens, two.annotations), two.qualifiers)


def _without_address(tokens: tuple[str, ...], annotations: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a name less the places a note after its legal form adds ("… Ltd. [CN]",
    "… Ltd. (Shenzhen)": ``NormalisedName.annotations``, where the party is, no part of its
    name): a vendor master that notes them on every name needs no decision of its own for
    each. The last occurrence of each, as the note comes last."""
    words = list(tokens)
    for place in annotations:
        if place in words:
            del words[len(words) - 1 - words[::-1].index(place)]
    return tuple(words)


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


def _date(path: Path, line: int, value: Any, key: str = "date") -> date:
    if isinstance(value, datetime):  # TOML's date-time: its date is what was meant, but say so
        raise _fail(path, line, f"'{key}' must be a date like 2026-03-02, got the date and time {value.isoformat()}")
    if not isinstance(value, (date, str)):
        raise _fail(path, line, f"'{key}' must be a date like 2026-03-02, got {value!r}")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise _fail(path, line, f"'{key}' must be a date like 2026-03-02, got {value!r}") from None
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
    first_seen: dict[tuple[Any, ...], int] = {}
    for index, table in enumerate(tables):
        start = headers[index]
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
        for key in table:
            if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
                raise _fail(path, _key_line(lines, start, end, key) or start,
                            f"unknown field '{key}' (allowed: {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)})")
        missing = [key for key in REQUIRED_FIELDS if key not in table]
        if missing:
            raise _fail(path, start, f"[[cleared]] entry lacks {', '.join(repr(k) for k in missing)}")

        def line_of(key: str) -> int:
            return _key_line(lines, start, end, key) or start  # noqa: B023 (called within this iteration)

        entry = ClearedMatch(
            name=_text(path, line_of("name"), "name", table["name"]),
            list_name=_text(path, line_of("list"), "list", table["list"]),
            entity_id=_text(path, line_of("entity_id"), "entity_id", table["entity_id"]),
            reviewer=_text(path, line_of("reviewer"), "reviewer", table["reviewer"]),
            justification=_text(path, line_of("justification"), "justification", table["justification"]),
            date=_date(path, line_of("date"), table["date"]),
            file=str(path),
            line=start,
            review_by=_date(path, line_of("review_by"), table["review_by"], "review_by") if "review_by" in table else None,
        )
        if entry.review_by is not None and entry.review_by < entry.date:
            raise _fail(path, line_of("review_by"),
                        f"'review_by' {entry.review_by.isoformat()} is before the decision date {entry.date.isoformat()}")
        norm = normalise_name(entry.name)
        identity = (norm.tokens, norm.qualifiers, entry.list_name, entry.entity_id)
        if identity in first_seen:
            raise _fail(path, start, f"the same decision is already recorded at line {first_seen[identity]}")
        first_seen[identity] = start
        result.append(entry)
    return result


def find_clearance(query: str, match: Any, cleared: Iterable[ClearedMatch]) -> ClearedMatch | None:
    """The recorded decision about ``match`` (a `screener.Match`) for the screened name
    ``query``, or None (whether it applies on a date: ``clearance``)."""
    for decision in cleared:
        if decision.covers(query, match):
            return decision
    return None


def clearance(query: str, match: Any, cleared: Iterable[ClearedMatch], as_of: date) -> tuple[ClearedMatch | None, str | None]:
    """(the decision that clears ``match`` on ``as_of``, None) or (None, why the recorded
    decision does not clear it) or (None, None) when there is no decision."""
    decision = find_clearance(query, match, cleared)
    if decision is None:
        return None, None
    note = decision.not_applicable(match, as_of)
    return (None, note) if note else (decision, None)


def is_cleared(query: str, match: Any, cleared: Iterable[ClearedMatch], as_of: date | None = None) -> bool:
    if as_of is None:
        return find_clearance(query, match, cleared) is not None
    return clearance(query, match, cleared, as_of)[0] is not None
