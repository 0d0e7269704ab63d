"""Audit history: the tables that record runs, and the functions that write and read them.

A run is stored in one transaction (`record_run`): the run row, its finding groups, one row
per finding, the assets seen and the waivers applied are either all committed or none are.
Findings are written with Core `executemany` batches, never one ORM object per finding, so a
million-rig audit stays a matter of seconds.

Layout (why normalised): a rule failing on 100k rigs for the same reason shares one message
and one evidence object. `run_groups` holds those once; `run_findings` holds what differs per
rig (fingerprint, asset key, serial, line, status, waiver, per-rig evidence additions).
`load_findings` joins them back into flat records.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterator

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from auditor.model import AuditResult, FindingIdentity, canonical_json
from auditor.store.base import Base

# Rows per executemany batch: large enough to amortise round trips, small enough that a batch
# of dicts stays a few megabytes.
BATCH = 5000

# How long a SQLite writer keeps retrying to get the write lock before giving up. busy_timeout
# (db.py) already waits 30 s per attempt; a long concurrent audit may hold the lock longer.
SQLITE_LOCK_DEADLINE_S = 600


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    tool_version: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # complete | incomplete
    input_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    rules_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    inputs_json: Mapped[str] = mapped_column(Text, nullable=False)  # inventory sources
    rules_json: Mapped[str] = mapped_column(Text, nullable=False)  # [{id, version, sha256}]
    lists_json: Mapped[str] = mapped_column(Text, nullable=False)  # list versions
    summary_json: Mapped[str] = mapped_column(Text, nullable=False)
    incomplete_json: Mapped[str] = mapped_column(Text, nullable=False)  # reasons, [] when complete
    findings_count: Mapped[int] = mapped_column(Integer, nullable=False)
    assets_count: Mapped[int] = mapped_column(Integer, nullable=False)


class RunGroup(Base):
    """What a set of findings of one run share: rule, severity, message, evidence."""

    __tablename__ = "run_groups"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    group_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    severity: Mapped[str] = mapped_column(String(16), nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    evidence_json: Mapped[str] = mapped_column(Text, nullable=False)


class RunFinding(Base):
    __tablename__ = "run_findings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["run_id", "group_no"], ["run_groups.run_id", "run_groups.group_no"], ondelete="CASCADE"
        ),
        # Clustered on the primary key: no second copy of every row in a rowid index.
        {"sqlite_with_rowid": False},
    )

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    finding_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_no: Mapped[int] = mapped_column(Integer, nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    asset_key: Mapped[str] = mapped_column(Text, nullable=False)
    serial: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    line: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # open | waived
    waiver_id: Mapped[str | None] = mapped_column(String(200))
    # Per-rig evidence merged over the group's evidence (e.g. the duty on this rig's value).
    row_evidence_json: Mapped[str | None] = mapped_column(Text)


class RunAsset(Base):
    """Distinct assets of a run, with how many inventory rows carried that key."""

    __tablename__ = "run_assets"
    __table_args__ = ({"sqlite_with_rowid": False},)

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    asset_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_key: Mapped[str] = mapped_column(Text, nullable=False)
    # Kept so that waivers written as supplier / model patterns can be linted against a run.
    supplier: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(Integer, nullable=False)


class RunWaiver(Base):
    """A waiver as it was when the run applied it (or found it expired), and what it did."""

    __tablename__ = "run_waivers"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    waiver_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    decision: Mapped[str] = mapped_column(String(16), nullable=False)  # applied | expired
    rule_id: Mapped[str] = mapped_column(String(200), nullable=False)
    expires: Mapped[date] = mapped_column(Date, nullable=False)
    approver: Mapped[str] = mapped_column(Text, nullable=False)
    findings: Mapped[int] = mapped_column(Integer, nullable=False)  # findings waived / resurfaced
    waiver_json: Mapped[str] = mapped_column(Text, nullable=False)  # the full waiver record


class RunNotFound(LookupError):
    pass


# --------------------------------------------------------------------------- writing


def _sha256_json(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def input_hash(result: AuditResult) -> str:
    """Content of the inventories (their sha256s, order-independent), not their paths."""
    return _sha256_json(sorted(s.sha256 for s in result.inventory))


def rules_hash(result: AuditResult) -> str:
    return _sha256_json(sorted([r.id, r.sha256] for r in result.rules))


def _aware(ts: datetime) -> datetime:
    """In UTC; naive timestamps (SQLite hands them back naive) are taken as UTC."""
    return ts.replace(tzinfo=timezone.utc) if ts.tzinfo is None else ts.astimezone(timezone.utc)


def _json(value: Any) -> str:
    return canonical_json(value)


FINDING_COLUMNS = ("run_id", "finding_no", "group_no", "fingerprint", "asset_key", "serial", "source", "line",
                   "status", "waiver_id", "row_evidence_json")
ASSET_COLUMNS = ("run_id", "asset_no", "asset_key", "supplier", "model", "rows")


def _finding_rows(result: AuditResult, run_id: int) -> Iterator[tuple[dict, list[tuple]]]:
    """(group row, its finding rows as FINDING_COLUMNS tuples) for every group, in report order.

    Evidence and fingerprints come from FindingIdentity, as for every format; a test checks
    that stored and reported fingerprints agree.
    """
    table = result.table
    serial_col = table.columns["serial"]
    # Report order (AuditResult.iter_finding_rows): most severe first, then rule id.
    ordered = sorted(enumerate(result.groups), key=lambda p: (-int(p[1].effective_severity), p[1].rule.id, p[0]))
    finding_no = 0
    for group_no, (_, g) in enumerate(ordered):
        identity = FindingIdentity(g)
        group_evidence = identity.group_evidence_json  # stored once per group
        group_row = {
            "run_id": run_id,
            "group_no": group_no,
            "rule_id": g.rule.id,
            "kind": g.rule.kind.value,
            "severity": g.effective_severity.label,
            "title": g.rule.title,
            "message": g.message,
            "evidence_json": group_evidence,
        }
        rows = []
        waivers, sources = result.waivers, table.sources
        lines, source_index = table.lines, table.source_index
        for row in g.rows.tolist():
            extra = g.row_evidence.get(row) if g.row_evidence else None
            key = table.asset_key(row)
            fp = identity.fingerprint(row, key)
            waiver = waivers.get(fp) if waivers else None
            rows.append((
                run_id, finding_no, group_no, fp, key, serial_col.value(row), sources[source_index[row]],
                int(lines[row]), "waived" if waiver is not None else "open",
                waiver.get("id") if waiver is not None else None, _json(extra) if extra else None,
            ))
            finding_no += 1
        yield group_row, rows


def _asset_rows(result: AuditResult, run_id: int) -> list[tuple]:
    """Distinct (asset key, supplier, model) with row counts, sorted, as ASSET_COLUMNS tuples."""
    table = result.table
    supplier, model = table.columns["supplier"], table.columns["model"]
    counts: dict[tuple, int] = {}
    rows = table.non_rejected_rows()  # a rejected row screened all the same is no rig of the fleet
    keys = [table.asset_key(i) for i in rows]
    supplier_codes, model_codes = supplier.codes.tolist(), model.codes.tolist()
    if isinstance(rows, list):
        supplier_codes, model_codes = [supplier_codes[i] for i in rows], [model_codes[i] for i in rows]
    for k in zip(keys, (supplier.values[c] for c in supplier_codes), (model.values[c] for c in model_codes)):
        counts[k] = counts.get(k, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: tuple("" if x is None else str(x) for x in kv[0]))
    return [(run_id, n, k[0], k[1], k[2], c) for n, (k, c) in enumerate(ordered)]


def _bulk_insert(conn: Connection, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows in one round: COPY on PostgreSQL, driver executemany on SQLite.

    Both bypass SQLAlchemy's per-row parameter processing, which would otherwise cost more
    than the database work for a million findings; columns here are plain text and integers.
    """
    if not rows:
        return
    name = conn.dialect.name
    if name == "postgresql" and conn.dialect.driver == "psycopg":
        cur = conn.connection.driver_connection.cursor()
        with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        cur.close()
    elif name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows)
    else:
        conn.execute(insert(table), [dict(zip(columns, r)) for r in rows])


def _waiver_rows(result: AuditResult, run_id: int) -> list[dict]:
    applied: dict[str, tuple[dict, int]] = {}
    for w in result.waivers.values():
        wid = w["id"]
        applied[wid] = (dict(w), applied.get(wid, (w, 0))[1] + 1)
    expired: dict[str, tuple[dict, int]] = {}
    for note in result.expired_waivers.values():
        w = note.waiver
        wid = w["id"]
        expired[wid] = (dict(w), expired.get(wid, (w, 0))[1] + 1)
    rows = []
    for decision, group in (("applied", applied), ("expired", expired)):
        for wid, (w, n) in sorted(group.items()):
            rows.append(
                {
                    "run_id": run_id,
                    "waiver_id": wid,
                    "decision": decision,
                    "rule_id": w["rule"],
                    "expires": date.fromisoformat(str(w["expires"])),
                    "approver": w["approver"],
                    "findings": n,
                    "waiver_json": _json(w),
                }
            )
    return rows


def _begin(conn: Connection) -> None:
    """Start the write transaction; on SQLite take the write lock up front (BEGIN IMMEDIATE).

    A deferred SQLite transaction that only later needs the write lock can fail at once with
    "database is locked" when another writer holds it; BEGIN IMMEDIATE waits (busy_timeout)
    and is retried here, so two audits recording at the same time both complete.
    """
    if conn.dialect.name != "sqlite":
        conn.begin()
        return
    deadline = time.monotonic() + SQLITE_LOCK_DEADLINE_S
    while True:
        try:
            conn.exec_driver_sql("PRAGMA cache_size=-65536")  # 64 MB: fewer page spills on big runs
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            conn.rollback()
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise


def record_run(
    engine: Engine,
    result: AuditResult,
    started_at: datetime,
    finished_at: datetime,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Store one audit run atomically and return its id.

    `progress(stage, count)` (optional) is called inside the transaction after each batch is
    written, with stage "findings" or "assets" and the running count: for progress display.
    The schema must be current (auditor.store.db.prepare_schema).
    """
    summary = result.summary()
    with engine.connect() as conn:
        _begin(conn)
        try:
            run_id = conn.execute(
                insert(Run.__table__).returning(Run.__table__.c.id),
                {
                    "as_of": result.as_of,
                    "started_at": _aware(started_at),
                    "finished_at": _aware(finished_at),
                    "tool_version": result.tool_version,
                    "status": "complete" if result.complete else "incomplete",
                    "input_hash": input_hash(result),
                    "rules_hash": rules_hash(result),
                    "inputs_json": _json([s.as_json() for s in result.inventory]),
                    "rules_json": _json(
                        sorted(({"id": r.id, "version": r.version, "sha256": r.sha256} for r in result.rules),
                               key=lambda r: r["id"])
                    ),
                    "lists_json": _json(sorted((li.as_json() for li in result.lists), key=lambda li: li["name"])),
                    "summary_json": _json(summary),
                    "incomplete_json": _json(list(result.incomplete_reasons)),
                    "findings_count": sum(len(g.rows) for g in result.groups),
                    "assets_count": len(result.table) - len(result.table.rejected_reasons),
                },
            ).scalar_one()
            _write_findings(conn, result, run_id, progress)
            assets = _asset_rows(result, run_id)
            for i in range(0, len(assets), BATCH):
                _bulk_insert(conn, RunAsset.__table__, ASSET_COLUMNS, assets[i : i + BATCH])
                if progress:
                    progress("assets", min(i + BATCH, len(assets)))
            waivers = _waiver_rows(result, run_id)
            if waivers:
                conn.execute(insert(RunWaiver.__table__), waivers)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        if conn.dialect.name == "postgresql":
            # Fresh statistics after a bulk load, so that diffs fetch changed findings through
            # the primary key instead of scanning the run (autovacuum would catch up only later).
            try:
                conn.exec_driver_sql("ANALYZE run_findings, run_assets")
                conn.commit()
            except SQLAlchemyError:  # only an optimisation: the run is committed already
                conn.rollback()
    return run_id


def record_audit(
    url: str | None,
    result: AuditResult,
    started_at: datetime,
    finished_at: datetime,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Open the database at `url` (--db / AUDITOR_DB / default), check its schema, record.

    A SQLite file is brought to head; a server behind head is refused (`auditor db upgrade`).

    The entry point for `auditor audit --db`. Every database failure (unreachable server,
    failed migration, lock timeout, disk full) is raised as auditor.store.db.StoreError with
    a one-line reason; nothing of the run is stored then.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from auditor.store.db import (
        StoreError,
        current_revision,
        driver_message,
        head_revision,
        open_engine,
        prepare_schema,
        redact,
    )

    engine = open_engine(url)
    try:
        try:
            prepare_schema(engine)
        except StoreError:
            # Another audit may have migrated the same fresh database at the same moment.
            if current_revision(engine) != head_revision():
                raise
        return record_run(engine, result, started_at, finished_at, progress)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot record the audit in {redact(str(engine.url))}: {driver_message(exc)}") from None
    finally:
        engine.dispose()


def _write_findings(conn: Connection, result: AuditResult, run_id: int, progress) -> None:
    groups_t, findings_t = RunGroup.__table__, RunFinding.__table__
    pending: list[tuple] = []
    group_batch: list[dict] = []
    written = 0

    def flush(n: int) -> None:
        nonlocal group_batch, written
        if group_batch:  # findings reference their group: groups go first
            conn.execute(insert(groups_t), group_batch)
            group_batch = []
        if n:
            _bulk_insert(conn, findings_t, FINDING_COLUMNS, pending[:n])
            del pending[:n]
            written += n
            if progress:
                progress("findings", written)

    for group_row, rows in _finding_rows(result, run_id):
        group_batch.append(group_row)
        pending.extend(rows)
        while len(pending) >= BATCH:
            flush(BATCH)
    flush(len(pending))


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RunInfo:
    id: int
    as_of: date
    started_at: datetime
    finished_at: datetime
    tool_version: str
    status: str
    input_hash: str
    rules_hash: str
    findings: int
    assets: int
    summary: dict
    inputs: list
    rules: list
    lists: list
    incomplete_reasons: list

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "as_of": self.as_of.isoformat(),
            "started_at": _aware(self.started_at).isoformat(),
            "finished_at": _aware(self.finished_at).isoformat(),
            "tool_version": self.tool_version,
            "status": self.status,
            "input_hash": self.input_hash,
            "rules_hash": self.rules_hash,
            "findings": self.findings,
            "assets": self.assets,
            "summary": self.summary,
            "inputs": self.inputs,
            "rules": self.rules,
            "lists": self.lists,
            "incomplete_reasons": self.incomplete_reasons,
        }


def _run_info(row) -> RunInfo:
    return RunInfo(
        id=row.id,
        as_of=row.as_of,
        started_at=row.started_at,
        finished_at=row.finished_at,
        tool_version=row.tool_version,
        status=row.status,
        input_hash=row.input_hash,
        rules_hash=row.rules_hash,
        findings=row.findings_count,
        assets=row.assets_count,
        summary=json.loads(row.summary_json),
        inputs=json.loads(row.inputs_json),
        rules=json.loads(row.rules_json),
        lists=json.loads(row.lists_json),
        incomplete_reasons=json.loads(row.incomplete_json),
    )


def list_runs(engine: Engine, limit: int | None = None) -> list[RunInfo]:
    """Runs, newest first."""
    q = select(Run.__table__).order_by(Run.__table__.c.id.desc())
    if limit:
        q = q.limit(limit)
    with engine.connect() as conn:
        return [_run_info(r) for r in conn.execute(q)]


def get_run(engine: Engine, ref: int | str) -> RunInfo:
    """A run by id, or "latest" (newest run) / "previous" (the one before the newest)."""
    t = Run.__table__
    with engine.connect() as conn:
        if isinstance(ref, str) and ref in ("latest", "previous"):
            offset = 0 if ref == "latest" else 1
            row = conn.execute(select(t).order_by(t.c.id.desc()).offset(offset).limit(1)).first()
            if row is None:
                raise RunNotFound("no audit run recorded" if ref == "latest" else "no previous audit run recorded")
        else:
            try:
                run_id = int(ref)
            except ValueError:
                raise RunNotFound(f"{ref!r} is not a run id (a number, 'latest' or 'previous')") from None
            row = conn.execute(select(t).where(t.c.id == run_id)).first()
            if row is None:
                raise RunNotFound(f"no run with id {run_id}")
    return _run_info(row)


def latest_run_id(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(func.max(Run.__table__.c.id))).scalar()


def finding_fingerprints(engine: Engine, run_id: int) -> list[str]:
    """Fingerprints of a run's findings; position i is the finding numbered i (report order)."""
    f = RunFinding.__table__
    with engine.connect() as conn:
        return list(conn.execute(select(f.c.fingerprint).where(f.c.run_id == run_id).order_by(f.c.finding_no)).scalars())


def load_findings(engine: Engine, run_id: int, only: set[int] | None = None) -> list[dict]:
    """A run's findings as flat records (all, or those numbered in `only`), in report order."""
    if only is not None and not only:
        return []
    f, g = RunFinding.__table__, RunGroup.__table__
    q = (
        select(f.c.finding_no, f.c.group_no, f.c.fingerprint, f.c.asset_key, f.c.serial, f.c.source, f.c.line,
               f.c.status, f.c.waiver_id, f.c.row_evidence_json)
        .where(f.c.run_id == run_id)
        .order_by(f.c.finding_no)
    )
    if only is not None and len(only) <= 50_000:
        # A few changes among a million findings: fetch just those, by primary key, in chunks.
        wanted = sorted(only)
        queries = [q.where(f.c.finding_no.in_(wanted[i : i + 500])) for i in range(0, len(wanted), 500)]
        only = None
    else:
        queries = [q]
    out = []
    with engine.connect() as conn:
        # Groups are few (distinct failing combinations): join them in memory.
        groups = {
            r.group_no: (r.rule_id, r.kind, r.severity, r.title, r.message, json.loads(r.evidence_json))
            for r in conn.execute(select(g).where(g.c.run_id == run_id))
        }
        for query in queries:
            for r in conn.execute(query):
                if only is not None and r.finding_no not in only:
                    continue
                rule_id, kind, severity, title, message, ev = groups[r.group_no]
                evidence = {**ev, **json.loads(r.row_evidence_json)} if r.row_evidence_json else ev
                out.append(
                    {
                        "fingerprint": r.fingerprint,
                        "rule_id": rule_id,
                        "kind": kind,
                        "severity": severity,
                        "status": r.status,
                        "title": title,
                        "asset": {"key": r.asset_key, "serial": r.serial, "file": r.source, "line": r.line},
                        "message": message,
                        "evidence": evidence,
                        "waiver_id": r.waiver_id,
                    }
                )
    return out


def load_assets(engine: Engine, run_id: int) -> list[dict]:
    a = RunAsset.__table__
    q = select(a.c.asset_key, a.c.supplier, a.c.model, a.c.rows).where(a.c.run_id == run_id).order_by(a.c.asset_no)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def asset_counts(engine: Engine, run_id: int) -> dict[str, int]:
    """asset key -> number of inventory rows that carried it in the run."""
    a = RunAsset.__table__
    q = select(a.c.asset_key, a.c.rows).where(a.c.run_id == run_id)
    out: dict[str, int] = {}
    with engine.connect() as conn:
        for key, n in conn.execute(q):
            out[key] = out.get(key, 0) + n
    return out


def load_waivers(engine: Engine, run_id: int) -> list[dict]:
    w = RunWaiver.__table__
    q = select(w).where(w.c.run_id == run_id).order_by(w.c.decision, w.c.waiver_id)
    with engine.connect() as conn:
        return [
            {
                "id": r.waiver_id,
                "decision": r.decision,
                "rule": r.rule_id,
                "expires": r.expires.isoformat(),
                "approver": r.approver,
                "findings": r.findings,
                "waiver": json.loads(r.waiver_json),
            }
            for r in conn.execute(q)
        ]


def finding_assets(engine: Engine, run_id: int) -> list[tuple[str, str, Any, Any]]:
    """Distinct (rule id, asset key, supplier, model) of a run's findings: what a waiver can match."""
    f, g, a = RunFinding.__table__, RunGroup.__table__, RunAsset.__table__
    q = (
        select(g.c.rule_id, f.c.asset_key, a.c.supplier, a.c.model)
        .distinct()
        .select_from(f)
        .join(g, (g.c.run_id == f.c.run_id) & (g.c.group_no == f.c.group_no))
        .outerjoin(a, (a.c.run_id == f.c.run_id) & (a.c.asset_key == f.c.asset_key))
        .where(f.c.run_id == run_id)
    )
    with engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(q)), key=lambda r: tuple("" if x is None else str(x) for x in r))
