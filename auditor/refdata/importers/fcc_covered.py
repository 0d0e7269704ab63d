"""FCC Covered List (47 CFR 1.50002): header covered_equipment_or_services, date_of_inclusion_on_covered_list.

Each row describes equipment or services "produced by" / "provided by" a named company, in
prose; we take the company name out of the sentence. Rows that cover a whole category of
equipment (foreign-produced drones, routers, power inverters) name no party to screen:
they are reported as warnings with their line, never silently dropped. Inclusion dates are
free text ("March 12, 2021"; one row adds "Updated:January 7, 2026…", kept in the remarks).
"""

from __future__ import annotations

import re
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
from auditor.refdata.importers.effects import FCC_COVERED, legal_effect

HEADER = ("covered_equipment_or_services", "date_of_inclusion_on_covered_list")
SOURCE = "FCC Covered List, 47 CFR 1.50002, https://www.fcc.gov/supplychain/coveredlist"

# "...produced by X, including…", "...supplied, directly or indirectly, by X or any of…",
# "...provided by X subject to section 214…"
_PARTY = re.compile(
    r"\b(?:produced|provided|supplied)(?: or provided)?(?:, directly or indirectly,)? by (?P<party>.+?)"
    r"(?=,? including\b|,? to the extent\b|,? subject to\b| or any of\b| or its\b|\.?$)",
)
_SUBSIDIARY = re.compile(r"^(?P<parent>.+?) and its wholly-owned subsidiary (?P<child>.+)$")
_FIRST_DATE = re.compile(r"^\s*([A-Z][a-z]+\.? \d{1,2}, \d{4})(.*)$", re.S)


def parties_in(text: str) -> list[str]:
    """Company names a Covered List description names, in order."""
    m = _PARTY.search(text)
    if not m:
        return []
    party = m.group("party").strip().rstrip(",")
    sub = _SUBSIDIARY.match(party)
    names = [sub.group("parent"), sub.group("child")] if sub else [party]
    return [n.strip().rstrip(",") for n in names if n.strip()]


class FccCoveredImporter:
    name = "fcc-covered"
    slot = "fcc-covered"
    description = "FCC Covered List (equipment and services)"

    def sniff(self, head: FileHead) -> bool:
        return head.header == HEADER

    def parse(self, path: Path) -> ImportResult:
        rows = rows_with_header(path, HEADER, "an FCC Covered List CSV")
        entries: list[ListEntry] = []
        warnings: list[str] = []
        categories = 0
        data_rows = 0
        ids: dict[str, int] = {}
        effect = legal_effect(FCC_COVERED)
        for row in rows[1:]:
            c = row.cells
            if tuple(x.strip() for x in c) == HEADER:
                warnings.append(f"{path}:{row.line}: repeated header row skipped")
                continue
            if len(c) != 2:
                raise ListFormatError(path, f"expected 2 fields, found {len(c)}", row.line, column_of(c, min(len(c), 2)))
            data_rows += 1
            description = clean(c[0])
            if not description:
                raise ListFormatError(path, "row has no description", row.line, 1)
            start, updates = None, ""
            raw_date = clean(c[1])
            m = _FIRST_DATE.match(raw_date or "")
            try:
                if not raw_date:
                    raise ValueError("no inclusion date")
                start = parse_date(m.group(1) if m else raw_date)
                updates = m.group(2).strip() if m else ""
            except ValueError as exc:
                warnings.append(f"{path}:{row.line}:{column_of(c, 1)}: {exc}; treated as always listed")
            parties = parties_in(description)
            if not parties:
                categories += 1
                warnings.append(
                    f"{path}:{row.line}: covers a category of equipment, names no party to screen: "
                    f"{description[:80]}{'…' if len(description) > 80 else ''}"
                )
                continue
            remarks = description + (f" (date field: {raw_date})" if updates else "")
            for party in parties:
                entity_id = slug(party)
                if entity_id in ids:
                    entity_id = f"{entity_id}@line{row.line}"
                ids[entity_id] = row.line
                entries.append(
                    ListEntry(
                        list_name=FCC_COVERED,
                        entity_id=entity_id,
                        name=party,
                        entity_type="entity",
                        start=start,
                        source=SOURCE,
                        legal_effect=effect,
                        remarks=remarks,
                    )
                )
        return ImportResult(
            entries=entries,
            counts={FCC_COVERED: len(entries)},
            warnings=warnings,
            rows=data_rows,
            notes={"category rows (no named party)": categories},
        )
