"""The entries the audit screens against: active imported lists plus the bundled curated list.

`load_screener` is the one call the audit and `auditor screen` make (`load_screening_entries`
gives the entries themselves). It reads the store (I/O) but takes the reference date as a
parameter: staleness is measured against the audit's `as_of`, never against the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from auditor.model import ListEntry, ListInfo
from auditor.public_names import public_name
from auditor.refdata.curated import BUNDLED_SOURCE
from auditor.refdata.importers.effects import (
    DOD_1260H,
    ENTITY_LIST,
    SDN,
    SDN_ALT_NAMES,
    legal_effect,
    list_code,
)
from auditor.refdata.weak_aliases import without_weak_aliases

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from auditor.screening import Screener
    from auditor.store.lists import VersionInfo

DEFAULT_MAX_AGE_DAYS = 30

#: The official lists a screening is expected to cover: the lists the bundled curated list
#: samples (a few dozen of their entries). Without the official file imported, only those few
#: entries of the list were screened, and reports say so (`ListCoverage`).
EXPECTED_LISTS = (SDN, ENTITY_LIST, DOD_1260H)
_SHORT = {SDN: "OFAC SDN", ENTITY_LIST: "BIS Entity List", DOD_1260H: "DoD 1260H list"}


@dataclass(frozen=True)
class ListCoverage:
    """Which official lists names were screened against, and which expected ones were absent.

    Built from the lists an audit used (`AuditResult.lists`), so every report (report.json,
    report.md, JUnit, HTML) and the run's warnings state the same thing."""

    imported: tuple[str, ...]  # list (section) names of the imported official files
    absent: tuple[str, ...]  # EXPECTED_LISTS not among them
    bundled_entries: int | None  # entries of the bundled curated list screened, None: not used
    # names of OFAC's alt.csv screened without the SDN list's entries (None: none, or the SDN
    # list is screened and they are folded into its entries)
    alternate_names: int | None = None

    @classmethod
    def of(cls, infos: "Iterable[ListInfo]") -> "ListCoverage":
        infos = list(infos)
        bundled = [i for i in infos if i.source.startswith(BUNDLED_SOURCE)]
        # alt.csv alone is names without their SDN entries: it does not make the SDN list
        # screened, but its names were, and the notes say so.
        imported = sorted({i.name for i in infos if i not in bundled and i.name != SDN_ALT_NAMES})
        absent = tuple(name for name in EXPECTED_LISTS if name not in imported)
        alternates = [i for i in infos if i.name == SDN_ALT_NAMES and i not in bundled]
        alternate_names = sum(i.entries for i in alternates) if alternates and SDN not in imported else None
        return cls(tuple(imported), absent, sum(i.entries for i in bundled) if bundled else None, alternate_names)

    def screened(self) -> str:
        """The official lists screened, by their short names ("SDN, EL, 1260H"), or "none"."""
        return ", ".join(list_code(name) or name for name in self.imported) or "none"

    def absent_names(self) -> str:
        return ", ".join(_SHORT.get(name, name) for name in self.absent)

    def as_json(self) -> dict[str, Any]:
        return {"official": list(self.imported), "absent": list(self.absent), "bundled_entries": self.bundled_entries,
                "sdn_alternate_names_only": self.alternate_names}

    def note(self) -> str | None:
        """What reports and the run say when an expected official list was not screened (None: all were)."""
        if not self.absent:
            return None
        todo = ("import them for a full screening (`auditor lists update` downloads the CSL and OFAC SDN; "
                "`auditor lists import FILE` imports any official file, the 1260H list included)")
        # OFAC's alternate names alone: what they are, since a match against one still shows.
        alternates = (f"; the OFAC SDN alternate names (alt.csv, {self.alternate_names} names) were screened "
                      "without the SDN list's entries and primary names" if self.alternate_names is not None else "")
        if not self.imported:
            if self.bundled_entries is None:
                if not alternates:
                    return None  # no list at all: the audit is INCOMPLETE and says so
                return f"names were not screened against the official lists{alternates}: {todo}"
            return (f"only the bundled curated list ({self.bundled_entries} entries) was screened, not the official "
                    f"lists{alternates}: {todo}")
        absent = self.absent_names()
        instead = (f"for those only the bundled curated list's {self.bundled_entries} entries were screened"
                   if self.bundled_entries is not None else "names were not screened against them at all")
        return (f"names were screened against the official lists imported ({self.screened()}) but not {absent}: "
                f"{instead}{alternates}; {todo}")


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
    sources = _Sources(engine, include_curated, as_of, max_age_days, curated_path, stale_out)
    return sources.entries(), sources.infos, sources.warnings


def load_screener(
    engine: "Engine | None",
    include_curated: bool = True,
    *,
    as_of: date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    curated_path: Path | None = None,
    stale_out: list[str] | None = None,
) -> tuple["Screener", list[ListInfo], list[str]]:
    """`load_screening_entries`, as a Screener: with imported lists, the index stored for
    exactly these list versions is loaded (``screening/index_store.py``), built and stored
    first if there is none; the entries themselves are then never read from the store."""
    from auditor.screening import Screener

    sources = _Sources(engine, include_curated, as_of, max_age_days, curated_path, stale_out)
    if engine is None or not sources.versions:
        return Screener(sources.entries()), sources.infos, sources.warnings
    from auditor.screening.index_store import cached_screener, index_dir

    keys = [f"{v.id}:{v.slot}:{v.sha256}" for v in sources.versions]
    keys.append(f"curated:{sources.curated_info.sha256}" if sources.curated_info else "no-curated")
    screener, _ = cached_screener(index_dir(engine), keys, lambda: Screener(sources.entries()))
    return screener, sources.infos, sources.warnings


def screening_entries(imported: Iterable[tuple[str, list[ListEntry]]], curated: Iterable[ListEntry] = ()) -> list[ListEntry]:
    """What screening compares with: each imported list's entries (``imported``: pairs of the
    importer's slot and the entries it read), alt.csv names joined to the sdn.csv entry of
    the same ent_num whichever was imported first, then the ``curated`` list; the CSL's
    copies of OFAC's weak aliases, which the SDN file marks, set aside (weak_aliases.py)."""
    entries: list[ListEntry] = []
    by_slot: dict[str, list[ListEntry]] = {}
    for slot, rows in imported:
        if slot in ("ofac-sdn", "ofac-alt"):
            by_slot.setdefault(slot, []).extend(rows)
        else:
            entries.extend(rows)
    merged, leftovers, _ = merge_alternate_names(by_slot.get("ofac-sdn", []), by_slot.get("ofac-alt", []))
    return without_weak_aliases([*entries, *merged, *leftovers, *curated])


class _Sources:
    """The active list versions and the curated list, with the warnings about them; the
    entries are read only when asked for."""

    def __init__(self, engine, include_curated, as_of, max_age_days, curated_path, stale_out):
        self.engine = engine
        self.versions: list["VersionInfo"] = []
        self.infos: list[ListInfo] = []
        self.warnings: list[str] = []
        stale = stale_out
        if engine is not None:
            from auditor.store.db import prepare_schema
            from auditor.store.lists import versions

            prepare_schema(engine)  # a SQLite file upgrades itself; a server must be at head
            self.versions = versions(engine, active_only=True)
        for info in self.versions:
            self.infos.extend(version_list_infos(info))
            if as_of is not None:
                reference = info.retrieved or info.imported_at.date()
                age = (as_of - reference).days
                if age < 0:
                    # Lists drop delisted parties: a list newer than the audit date cannot show who
                    # was listed on that date and removed since. (Warnings about one list start
                    # with "list ": the JUnit file shows them with the list coverage.)
                    self.warnings.append(
                        f"list {info.format} from {public_name(info.source)} dates from {reference.isoformat()}, after the audit "
                        f"date {as_of.isoformat()}: parties delisted in between are not in it"
                    )
                elif age > max_age_days:
                    from auditor.refdata.importers.update import UPDATED_FORMATS

                    how = "retrieved" if info.retrieved else "imported (retrieval date unknown)"
                    # `lists update` downloads the CSL and OFAC files only: the others take an import.
                    todo = ("update it with `auditor lists update`" if info.format in UPDATED_FORMATS else
                            f"import a newer official file with `auditor lists import FILE --format {info.format} "
                            "--retrieved DATE`")
                    (stale if stale is not None else self.warnings).append(
                        f"list {info.format} from {public_name(info.source)} was {how} on {reference.isoformat()}, "
                        f"{age} days before {as_of.isoformat()} (limit {max_age_days} days): {todo}"
                    )
                elif info.retrieved is None:
                    # Its age is the import's: a years-old file imported today would pass for current.
                    self.warnings.append(
                        f"list {info.format} from {public_name(info.source)} has no retrieval date (imported "
                        f"without --retrieved on {reference.isoformat()}): its age is measured from the import, "
                        f"so an old file looks current; re-import it with `--retrieved DATE`"
                    )
        self.curated: list[ListEntry] = []
        self.curated_info: ListInfo | None = None
        if include_curated:
            from auditor.refdata.curated import load_curated

            self.curated, self.curated_info = load_curated(curated_path)
            self.infos.append(self.curated_info)
        if not self.infos:
            (stale if stale is not None else self.warnings).append(
                "no screening list is loaded: entity screening found nothing because it had nothing to compare")
        elif note := ListCoverage.of(self.infos).note():
            # Only the bundled list, or official lists without SDN / Entity List / 1260H: a
            # clean screening must not read as "screened against the official lists".
            self.warnings.append(note)

    def entries(self) -> list[ListEntry]:
        imported: list[tuple["VersionInfo", list[ListEntry]]] = []
        if self.engine is not None and self.versions:
            from auditor.store.lists import entries_of

            imported = entries_of(self.engine, self.versions)
        return screening_entries(((info.slot, rows) for info, rows in imported), self.curated)
