"""Imported reference lists: one row per imported file version, its entries beside it.

A *slot* holds one kind of list (csl, ofac-sdn, ofac-alt, dod-1260h, fcc-covered); each
slot has at most one active version. Storing a new version is one transaction: insert the
version and its entries, retire the slot's previous version (its entries are deleted, its
version row stays as history), mark the new one active. If anything fails, the previous
version stays active and no row of the new one remains. A download identical to the active
version stores nothing but that it was checked (`Recheck`): its retrieval date and check time.

Entries are written with executemany in batches (not ORM objects one by one): importing
the 4,227-record partial CSL must take well under two seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable, Sequence

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, mapped_column

from auditor.model import ImportResult, ListEntry
from auditor.store.base import Base

BATCH = 5000


class ListVersion(Base):
    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slot: Mapped[str] = mapped_column(String(32), index=True)
    format: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(Text)  # file path or URL it came from
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retrieved: Mapped[date | None] = mapped_column(Date, nullable=True)  # when the file was downloaded
    rows: Mapped[int] = mapped_column(Integer)  # data records read from the file
    entries: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)  # entries per source section
    notes: Mapped[dict[str, int]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The last time `lists update` downloaded this version's file again and found it unchanged
    # (None: not since it was imported); `retrieved` moved to that day with it.
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        # At most one active version per slot, even if two imports race on a shared server.
        Index("uq_list_versions_active_slot", "slot", unique=True,
              sqlite_where=text("active"), postgresql_where=text("active")),
    )


class ListEntryRow(Base):
    __tablename__ = "list_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id", ondelete="CASCADE"), index=True)
    list_name: Mapped[str] = mapped_column(Text)  # source section, e.g. "Entity List (EL) - …"
    entity_id: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON)
    entity_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    country: Mapped[str | None] = mapped_column(String(64), nullable=True)
    programs: Mapped[list[str]] = mapped_column(JSON)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    citation: Mapped[str] = mapped_column(Text)  # Federal Register notice or list URL
    legal_effect: Mapped[str] = mapped_column(Text)
    addresses: Mapped[list[str]] = mapped_column(JSON)
    remarks: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class VersionInfo:
    id: int
    slot: str
    format: str
    source: str
    sha256: str
    imported_at: datetime
    retrieved: date | None
    rows: int
    entries: int
    counts: dict[str, int]
    notes: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    active: bool = False
    checked_at: datetime | None = None  # last download found unchanged (lists update)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slot": self.slot,
            "format": self.format,
            "source": self.source,
            "sha256": self.sha256,
            "imported_at": self.imported_at.isoformat(),
            "retrieved": self.retrieved.isoformat() if self.retrieved else None,
            "rows": self.rows,
            "entries": self.entries,
            "counts": dict(sorted(self.counts.items())),
            "notes": dict(sorted(self.notes.items())),
            "warnings": list(self.warnings),
            "active": self.active,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
        }


@dataclass(frozen=True)
class PendingImport:
    """A parsed file ready to be stored."""

    format: str
    slot: str
    source: str
    sha256: str
    retrieved: date | None
    result: ImportResult


@dataclass(frozen=True)
class Recheck:
    """A download identical to the active version `version_id` (`holds_the_same`): nothing is
    stored but the check — the version's retrieval date moves forward to `retrieved`, the
    download date, and `checked_at` is the time of the update."""

    version_id: int
    retrieved: date


class VersionSuperseded(Exception):
    """A version found unchanged is no longer the active one: another import ran meanwhile."""


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; we only ever store UTC.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _info(v: ListVersion) -> VersionInfo:
    return VersionInfo(
        id=v.id,
        slot=v.slot,
        format=v.format,
        source=v.source,
        sha256=v.sha256,
        imported_at=_utc(v.imported_at),
        retrieved=v.retrieved,
        rows=v.rows,
        entries=v.entries,
        counts=dict(v.counts or {}),
        notes=dict(v.notes or {}),
        warnings=tuple(v.warnings or ()),
        active=bool(v.active),
        checked_at=_utc(v.checked_at) if v.checked_at is not None else None,
    )


def _entry_rows(version_id: int, entries: Sequence[ListEntry]) -> Iterable[dict[str, Any]]:
    for e in entries:
        yield {
            "version_id": version_id,
            "list_name": e.list_name,
            "entity_id": e.entity_id,
            "name": e.name,
            "aliases": list(e.aliases),
            "entity_type": e.entity_type,
            "country": e.country,
            "programs": list(e.programs),
            "start_date": e.start,
            "end_date": e.end,
            "citation": e.source,
            "legal_effect": e.legal_effect,
            "addresses": list(e.addresses),
            "remarks": e.remarks,
        }


def _store_one(conn: Connection, pending: PendingImport, now: datetime) -> int:
    table = ListVersion.__table__
    result = pending.result
    version_id = conn.execute(
        insert(table)
        .values(
            slot=pending.slot,
            format=pending.format,
            source=pending.source,
            sha256=pending.sha256,
            imported_at=now,
            retrieved=pending.retrieved,
            rows=result.rows,
            entries=len(result.entries),
            counts=dict(sorted(result.counts.items())),
            notes=dict(sorted(result.notes.items())),
            warnings=list(result.warnings),
            active=False,
        )
        .returning(table.c.id)
    ).scalar_one()
    rows = list(_entry_rows(version_id, result.entries))
    entry_table = ListEntryRow.__table__
    for i in range(0, len(rows), BATCH):
        conn.execute(insert(entry_table), rows[i : i + BATCH])
    previous = conn.execute(
        select(table.c.id).where(table.c.slot == pending.slot, table.c.active.is_(True))
    ).scalars().all()
    if previous:
        conn.execute(delete(entry_table).where(entry_table.c.version_id.in_(previous)))
        conn.execute(update(table).where(table.c.id.in_(previous)).values(active=False, superseded_at=now))
    conn.execute(update(table).where(table.c.id == version_id).values(active=True))
    return version_id


def store_imports(engine: Engine, pending: Sequence[PendingImport], now: datetime,
                  rechecked: Sequence[Recheck] = ()) -> list[VersionInfo]:
    """Store several parsed files in ONE transaction: all become active, or none does. The
    `rechecked` versions (downloads identical to them) have their check recorded in the same
    transaction; VersionSuperseded, and nothing changed, when one is no longer active.

    Returns the versions stored, then the versions rechecked, as now recorded."""
    now = _utc(now)
    table = ListVersion.__table__
    with engine.begin() as conn:
        for r in rechecked:
            done = conn.execute(update(table).where(table.c.id == r.version_id, table.c.active.is_(True))
                                .values(checked_at=now))
            if done.rowcount != 1:
                raise VersionSuperseded(f"version {r.version_id} is no longer active: another import ran meanwhile")
            _move_retrieved(conn, r.version_id, r.retrieved)
        ids = [_store_one(conn, p, now) for p in pending]
    by_id = {v.id: v for v in versions(engine)}
    return [by_id[i] for i in [*ids, *(r.version_id for r in rechecked)]]


def holds_the_same(engine: Engine, version: VersionInfo, pending: PendingImport) -> bool:
    """Whether `pending` is `version` over again: the same file (format and SHA-256) read into
    the same records and entries. The same bytes read differently — by a release of auditor
    whose importer changed — are not the same: their entries must replace the stored ones."""
    if (version.format, version.sha256) != (pending.format, pending.sha256):
        return False
    result = pending.result
    if (version.rows, version.entries, version.counts, version.notes) != (
            result.rows, len(result.entries), result.counts, result.notes):
        return False
    ((_, stored),) = entries_of(engine, [version])
    return stored == result.entries


def record_retrieved(engine: Engine, version_id: int, retrieved: date) -> VersionInfo:
    """Record a later retrieval date on a kept version (the same file downloaded again): the
    date only ever moves forward, whatever the order two such imports run in."""
    with engine.begin() as conn:
        _move_retrieved(conn, version_id, retrieved)
    (info,) = [v for v in versions(engine) if v.id == version_id]
    return info


def _move_retrieved(conn: Connection, version_id: int, retrieved: date) -> None:
    """The version's retrieval date, moved forward to `retrieved` (never back)."""
    table = ListVersion.__table__
    conn.execute(
        update(table)
        .where(table.c.id == version_id)
        .where((table.c.retrieved.is_(None)) | (table.c.retrieved < retrieved))
        .values(retrieved=retrieved)
    )


def versions(engine: Engine, active_only: bool = False) -> list[VersionInfo]:
    stmt = select(ListVersion).order_by(ListVersion.slot, ListVersion.id)
    if active_only:
        stmt = stmt.where(ListVersion.active.is_(True))
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return [_info(v) for v in session.scalars(stmt)]


def active_entries(engine: Engine) -> list[tuple[VersionInfo, list[ListEntry]]]:
    """Every active version with its entries, in a stable order (slot, then entry row id)."""
    return entries_of(engine, versions(engine, active_only=True))


def entries_of(engine: Engine, chosen: Sequence[VersionInfo]) -> list[tuple[VersionInfo, list[ListEntry]]]:
    """The entries of the given versions (by id, whatever became active since), in row order."""
    t = ListEntryRow.__table__
    out = []
    with engine.connect() as conn:
        for info in chosen:
            rows = conn.execute(select(t).where(t.c.version_id == info.id).order_by(t.c.id)).mappings()
            out.append((info, [_to_entry(r) for r in rows]))
    return out


def _to_entry(r) -> ListEntry:
    return ListEntry(
        list_name=r["list_name"],
        entity_id=r["entity_id"],
        name=r["name"],
        aliases=tuple(r["aliases"] or ()),
        entity_type=r["entity_type"],
        country=r["country"],
        programs=tuple(r["programs"] or ()),
        start=r["start_date"],
        end=r["end_date"],
        source=r["citation"],
        legal_effect=r["legal_effect"],
        addresses=tuple(r["addresses"] or ()),
        remarks=r["remarks"],
    )
