"""Entries of screening lists (bundled snapshot or imported official lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ListEntry:
    list_name: str  # e.g. "Entity List (EL) - Bureau of Industry and Security", "OFAC SDN", "DoD 1260H"
    entity_id: str  # stable id within its source (CSL _id, SDN ent_num, curated id)
    name: str
    aliases: tuple[str, ...] = ()
    entity_type: str | None = None  # "entity", "individual", "vessel", …
    country: str | None = None
    programs: tuple[str, ...] = ()
    start: date | None = None  # listed on (None: unknown, treated as always listed)
    end: date | None = None  # removed on (exclusive)
    source: str = ""  # citation: Federal Register notice, list URL…
    legal_effect: str = ""  # what being on this list means (importers/effects.py)
    addresses: tuple[str, ...] = ()
    remarks: str = ""

    def listed_on(self, as_of: date) -> bool:
        if self.start and as_of < self.start:
            return False
        if self.end and as_of >= self.end:
            return False
        return True
