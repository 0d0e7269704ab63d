"""DoD Section 1260H list ("Chinese military companies"), one row per company per edition.

The transcription repeats a company in every edition that lists it (2021-06-03, 2022-10-05,
2024-01-31, 2025-01-07, 2026-06-08), with the edition date as start and a removal date as
end. A company is one entry per *continuous listing period*: rows that start before the
current period ends extend it (the later row's end wins, later editions being newer), a
row that starts on or after the end opens a new period: a company removed and listed again
becomes two dated entries, and screening "as of" a date inside the gap does not hit it.

A removal reported withdrawn (curated/disputed_removals.toml: the February 2026 update that
dropped CXMT and YMTC) is not a removal: the end date is ignored, with a warning, so those
companies stay listed without a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.base import (
    FileHead,
    ImportResult,
    ListFormatError,
    clean,
    column_of,
    parse_date,
    rows_with_header,
    slug,
)
from auditor.refdata.importers.effects import DOD_1260H, legal_effect

HEADER = ("Name", "Clean Name", "Alias", "Previous Name", "Parent Name", "Note", "Start date", "End date", "Source Url")
DEFAULT_SOURCE = "DoD list of Chinese military companies, Section 1260H NDAA FY2021"


@dataclass
class _Period:
    start: date | None
    end: date | None
    names: dict[str, None] = field(default_factory=dict)
    parents: dict[str, None] = field(default_factory=dict)
    notes: dict[str, None] = field(default_factory=dict)
    sources: dict[str, None] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)


class Dod1260hImporter:
    name = "dod-1260h"
    slot = "dod-1260h"
    description = "DoD Section 1260H Chinese military companies (CSV transcription)"

    def sniff(self, head: FileHead) -> bool:
        return head.header == HEADER

    def parse(self, path: Path) -> ImportResult:
        rows = rows_with_header(path, HEADER, "a 1260H CSV")
        warnings: list[str] = []
        by_company: dict[str, list[tuple[date | None, date | None, int, list[str]]]] = {}
        display: dict[str, str] = {}
        for row in rows[1:]:
            c = row.cells
            if tuple(x.strip() for x in c) == HEADER:
                warnings.append(f"{path}:{row.line}: repeated header row skipped")
                continue
            if len(c) != len(HEADER):
                raise ListFormatError(path, f"expected {len(HEADER)} fields, found {len(c)}", row.line,
                                      column_of(c, min(len(c), len(HEADER))))
            name = clean(c[1]) or clean(c[0])
            if not name:
                raise ListFormatError(path, "row has no company name", row.line, 1)
            dates: list[date | None] = []
            for i, label in ((6, "Start date"), (7, "End date")):
                value = clean(c[i])
                if not value:
                    dates.append(None)
                    continue
                try:
                    dates.append(parse_date(value))
                except ValueError as exc:
                    raise ListFormatError(path, f"{label}: {exc}", row.line, column_of(c, i)) from None
            start, end = dates
            disputed = _disputed().get((slug(name), end)) if end else None
            if disputed:
                warnings.append(f"{path}:{row.line}: {name}: removal on {end} not applied — {disputed}")
                end = None
            if start is None:
                warnings.append(f"{path}:{row.line}: {name}: no start date; treated as always listed")
            if start and end and end <= start:
                raise ListFormatError(path, f"End date {end} is not after Start date {start}", row.line, column_of(c, 7))
            key = slug(name)
            display.setdefault(key, name)
            by_company.setdefault(key, []).append((start, end, row.line, c))

        entries: list[ListEntry] = []
        effect = legal_effect(DOD_1260H)
        for key in sorted(by_company):
            for period in _periods(by_company[key]):
                name = display[key]
                aliases = tuple(n for n in period.names if n != name)
                remarks = [f"parent: {p}" for p in period.parents] + list(period.notes)
                remarks.append(f"source lines {', '.join(str(n) for n in period.lines)}")
                entries.append(
                    ListEntry(
                        list_name=DOD_1260H,
                        entity_id=f"{key}@{period.start.isoformat()}" if period.start else key,
                        name=name,
                        aliases=aliases,
                        entity_type="entity",
                        country=None,
                        start=period.start,
                        end=period.end,
                        source="; ".join(period.sources) or DEFAULT_SOURCE,
                        legal_effect=effect,
                        remarks="; ".join(remarks),
                    )
                )
        data_rows = sum(len(v) for v in by_company.values())
        return ImportResult(
            entries=entries,
            counts={DOD_1260H: len(entries)},
            warnings=warnings,
            rows=data_rows,
            notes={"companies": len(by_company)},
        )


def _disputed() -> dict[tuple[str, date], str]:
    """(company slug, removal date) -> why the removal is disputed, from the bundled curated file."""
    from importlib import resources

    from auditor.tomlfile import parse_toml

    source = resources.files("auditor.refdata.curated").joinpath("disputed_removals.toml")
    out = {}
    for r in parse_toml(source.read_text(encoding="utf-8"), str(source)).get("disputed_removal", []):
        if r.get("list") == Dod1260hImporter.name:
            out[(slug(r["name"]), r["end"])] = f"{r['source']} ({r['confidence']})"
    return out


def _periods(rows) -> list[_Period]:
    periods: list[_Period] = []
    for start, end, line, c in sorted(rows, key=lambda r: (r[0] or date.min, r[2])):
        current = periods[-1] if periods else None
        if current is None or (current.end is not None and start is not None and start >= current.end):
            current = _Period(start=start, end=end)
            periods.append(current)
        else:
            current.end = end  # a later edition's word on removal wins
        # The Name column is the clean name decorated with its alias and a footnote star
        # ("Semiconductor Manufacturing International Corporation (SMIC)*"): only a Name that
        # differs from the clean name adds something.
        decorated = (clean(c[0]) or "").rstrip("*").strip()
        if clean(c[1]) and decorated.startswith(clean(c[1])):
            decorated = ""
        for value in (decorated, clean(c[2]), clean(c[3])):
            for part in (value or "").split(";"):
                part = part.strip()
                if part:
                    current.names.setdefault(part, None)
        if clean(c[4]):
            current.parents.setdefault(clean(c[4]), None)
        if clean(c[5]):
            current.notes.setdefault(clean(c[5]), None)
        if clean(c[8]):
            current.sources.setdefault(clean(c[8]), None)
        current.lines.append(line)
    return periods
