"""The entries the audit screens against: active imported lists plus the bundled curated list.

`load_screening_entries` is the one call the audit and `auditor screen` make. It reads the
store (I/O) but takes the reference date as a parameter: staleness is measured against
the audit's `as_of`, never against the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.model import ListInfo
from auditor.public_names import public_name
from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.effects import legal_effect

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from auditor.store.lists import VersionInfo

DEFAULT_MAX_AGE_DAYS = 30


def merge_alternate_names(
    sdn: list[ListEntry], alternates: list[ListEntry]
) -> tuple[list[ListEntry], list[ListEntry], int]:
    """Fold alt.csv names into the SDN entries with the same ent_num.

    Returns (sdn entries with their alternate names added, alternate-name entries whose
    ent_num has no loaded SDN entry — kept so their names are still screened, number of
    SDN entries that received names).
    """
    by_id = {e.entity_id: e for e in alternates}
    merged, attached = [], 0
    for entry in sdn:
        alt = by_id.pop(entry.entity_id, None)
        if alt is None:
            merged.append(entry)
            continue
        names = dict.fromkeys((*entry.aliases, alt.name, *alt.aliases))
        names.pop(entry.name, None)
        merged.append(replace(entry, aliases=tuple(names)))
        attached += 1
    leftovers = [e for e in alternates if e.entity_id in by_id]
    return merged, leftovers, attached


def version_list_infos(info: "VersionInfo") -> list[ListInfo]:
    """One ListInfo per source section of an imported version (a CSL file holds a dozen lists)."""
    retrieved = info.retrieved.isoformat() if info.retrieved else None
    return [
        ListInfo(
            name=section,
            # A URL as fetched, a local file by its name: the list travels in reports.
            source=f"{info.format}: {public_name(info.source)} (imported {info.imported_at.date().isoformat()})",
            retrieved=retrieved,
            sha256=info.sha256,
            entries=count,
            legal_effect=legal_effect(section),
        )
        for section, count in sorted(info.counts.items())
    ]


def load_screening_entries(
    engine: "Engine | None",
    include_curated: bool = True,
    *,
    as_of: date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    curated_path: Path | None = None,
    stale_out: list[str] | None = None,
) -> tuple[list[ListEntry], list[ListInfo], list[str]]:
    """Active imported entries (+ the curated list), the lists used, and warnings for the report.

    Warnings: only the bundled list is in use; no list at all; an import retrieved (or, when
    the retrieval date is unknown, imported) more than `max_age_days` before `as_of`, or
    after `as_of` (it cannot show parties delisted in between).

    With `stale_out`, the problems that make screening unreliable (a list older than the limit,
    no list at all) go there instead: an audit reports them as reasons it is INCOMPLETE.
    """
    stale = stale_out
    entries: list[ListEntry] = []
    infos: list[ListInfo] = []
    warnings: list[str] = []
    imported: list[tuple["VersionInfo", list[ListEntry]]] = []
    if engine is not None:
        from auditor.store.db import require_current
        from auditor.store.lists import active_entries

        require_current(engine)
        imported = active_entries(engine)

    for info, _rows in imported:
        infos.extend(version_list_infos(info))
        if as_of is not None:
            reference = info.retrieved or info.imported_at.date()
            age = (as_of - reference).days
            if age < 0:
                # Lists drop delisted parties: a list newer than the audit date cannot show who
                # was listed on that date and removed since.
                warnings.append(
                    f"list {info.format} from {public_name(info.source)} dates from {reference.isoformat()}, after the audit "
                    f"date {as_of.isoformat()}: parties delisted in between are not in it"
                )
            elif age > max_age_days:
                how = "retrieved" if info.retrieved else "imported (retrieval date unknown)"
                (stale if stale is not None else warnings).append(
                    f"list {info.format} from {public_name(info.source)} was {how} on {reference.isoformat()}, "
                    f"{age} days before {as_of.isoformat()} (limit {max_age_days} days): "
                    "update it with `auditor lists update`"
                )
    by_slot = {info.slot: rows for info, rows in imported}
    for info, rows in imported:
        if info.slot not in ("ofac-sdn", "ofac-alt"):
            entries.extend(rows)
    # alt.csv names join the sdn.csv entry of the same ent_num, whichever was imported first.
    merged, leftovers, _ = merge_alternate_names(by_slot.get("ofac-sdn", []), by_slot.get("ofac-alt", []))
    entries.extend(merged)
    entries.extend(leftovers)

    if include_curated:
        from auditor.refdata.curated import load_curated

        curated, curated_info = load_curated(curated_path)
        entries.extend(curated)
        infos.append(curated_info)
        if not imported:
            warnings.append(
                f"only the bundled curated list ({curated_info.entries} entries, compiled {curated_info.retrieved}) "
                "was used: import the official lists (`auditor lists update` or `auditor lists import`) for a full screening"
            )
    elif not imported:
        (stale if stale is not None else warnings).append("no screening list is loaded: entity screening found nothing because it had nothing to compare")
    return entries, infos, warnings
