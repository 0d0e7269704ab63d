"""Turning one Consolidated Screening List record into a ListEntry (shared by CSV and JSON).

Both official CSL downloads carry the same fields; only the container differs. The CSL
names the source list in `source` — that is our section.
"""

from __future__ import annotations

import re
from typing import Callable

from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.base import clean, parse_date
from auditor.refdata.importers.effects import legal_effect

_COUNTRY_SUFFIX = re.compile(r",\s*([A-Z]{2})\s*$")


def country_of(addresses: tuple[str, ...]) -> str | None:
    """CSL addresses end in an ISO alpha-2 code ("…, Beijing, 100033, CN"); the first one wins."""
    for address in addresses:
        m = _COUNTRY_SUFFIX.search(address)
        if m:
            return m.group(1)
    return None


def entity_type(value: str | None) -> str | None:
    value = clean(value)
    return value.casefold() if value else None


def _alias_list(alt_names: tuple[str, ...]) -> tuple[str, ...]:
    """The aliases as names: the Entity List writes some alias lists as sentences, an alias
    after "and" ("Chengdu Jiashi Technology Co.; …; and Chengdu Zenith", "…; and Northwest
    Polytechnical University; …"): that word is no part of the name (screened, "and Chengdu
    Zenith" met "Zenith Electric Co")."""
    if len(alt_names) < 2:
        return alt_names
    return tuple(dict.fromkeys(a[4:].strip() if a[:4].casefold() == "and " and a[4:].strip() else a
                               for a in alt_names))


def make_entry(
    *,
    section: str,
    csl_id: str,
    name: str,
    alt_names: tuple[str, ...],
    type_: str | None,
    programs: tuple[str, ...],
    addresses: tuple[str, ...],
    country: str | None,
    start: str | None,
    end: str | None,
    federal_register_notice: str | None,
    source_url: str | None,
    remarks: str | None,
    title: str | None,
    warn: Callable[[str, str], None],
) -> ListEntry:
    """Build the entry; `warn(field, message)` reports a survivable defect (e.g. a bad date)."""

    def date_of(field: str, text: str | None):
        text = clean(text)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            # Keep the entry (screened as if the date were unknown: always listed) and say so.
            warn(field, f"{exc}; treated as unknown")
            return None

    notes = [r for r in (clean(remarks), f"title: {clean(title)}" if clean(title) else None) if r]
    citation = clean(federal_register_notice) or clean(source_url) or section
    return ListEntry(
        list_name=section,
        entity_id=csl_id,
        name=name,
        aliases=tuple(a for a in _alias_list(alt_names) if a != name),
        entity_type=entity_type(type_),
        country=country or country_of(addresses),
        programs=programs,
        start=date_of("start_date", start),
        end=date_of("end_date", end),
        source=citation,
        legal_effect=legal_effect(section),
        addresses=addresses,
        remarks="; ".join(notes),
    )
