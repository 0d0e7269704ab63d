"""Recording and reading audit runs, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select, text

from auditor.model import Severity
from auditor.store.runs import (
    BATCH,
    Run,
    RunFinding,
    RunGroup,
    RunNotFound,
    get_run,
    list_runs,
    load_assets,
    load_findings,
    record_run,
)
from tests.store.factory import big_result, result, rule

T0 = datetime(2025, 6, 18, 9, 0, tzinfo=timezone.utc)
T1 = datetime(2025, 6, 18, 9, 3, tzinfo=timezone.utc)


def small():
    rows = [
        {"serial": "A1", "model": "S19", "supplier": "Acme"},
        {"serial": "A2", "model": "S19", "supplier": "Acme"},
        {"serial": "A1", "model": "S19", "supplier": "Acme"},  # duplicate serial
        {"serial": None, "model": "L7", "supplier": "Beta", "po_number": "PO-9", "po_line": 3},
    ]
    groups = [
        (rule("dq.duplicate-serial", Severity.MEDIUM), [0, 2], "serial A1 appears twice", {"serial": "A1"}),
        (rule("entity.listed", Severity.CRITICAL), [1, 3], "supplier listed", {"list": "BIS", "entry": "E-1"}),
    ]
    # Per-rig evidence on group 1, row 3 (e.g. a duty computed on that rig's value).
    return result(rows, groups, row_evidence={1: {3: {"duty_usd": "125.00"}}})


def test_run_round_trip(engine):
    r = small()
    run_id = record_run(engine, r, T0, T1)
    info = get_run(engine, run_id)
    assert info.as_of == date(2025, 6, 18)
    assert info.status == "complete"
    assert info.findings == 4 and info.assets == 4
    assert info.as_json()["started_at"] == "2025-06-18T09:00:00+00:00"
    assert info.as_json()["finished_at"] == "2025-06-18T09:03:00+00:00"
    assert info.summary["by_severity"]["critical"] == 2
    assert info.summary["by_severity"]["medium"] == 2
    assert [x["id"] for x in info.rules] == ["dq.duplicate-serial", "entity.listed"]
    assert info.inputs[0]["sha256"] == "a" * 64

    found = load_findings(engine, run_id)
    # Stored fingerprints are exactly the ones every report format shows.
    assert [f["fingerprint"] for f in found] == [f.fingerprint for f in r.iter_findings()]
    by_key = {(f["rule_id"], f["asset"]["key"], f["asset"]["line"]): f for f in found}
    assert set(by_key) == {
        ("dq.duplicate-serial", "A1", 2),
        ("dq.duplicate-serial", "A1", 4),
        ("entity.listed", "A2", 3),
        # A blank serial in a list that has serials keeps its own key (file and line), not its PO's.
        ("entity.listed", "line:fleet.csv:5", 5),
    }
    po = by_key[("entity.listed", "line:fleet.csv:5", 5)]
    assert po["evidence"] == {"list": "BIS", "entry": "E-1", "duty_usd": "125.00"}
    assert po["asset"]["serial"] is None
    assert by_key[("entity.listed", "A2", 3)]["evidence"] == {"list": "BIS", "entry": "E-1"}
    assert by_key[("entity.listed", "A2", 3)]["severity"] == "critical"
    assert all(f["status"] == "open" for f in found)

    assets = {a["asset_key"]: a for a in load_assets(engine, run_id)}
    assert assets["A1"]["rows"] == 2
    assert assets["A2"]["rows"] == 1
    assert assets["line:fleet.csv:5"]["supplier"] == "Beta" and assets["line:fleet.csv:5"]["model"] == "L7"


def test_incomplete_status_and_run_lookup(engine):
    first = record_run(engine, small(), T0, T1)
    r = small()
    r.incomplete_reasons.append("rule x failed at run time")
    second = record_run(engine, r, T0, T1)
    assert second > first
    assert [x.id for x in list_runs(engine)] == [second, first]
    assert get_run(engine, "latest").id == second
    assert get_run(engine, "previous").id == first
    info = get_run(engine, second)
    assert info.status == "incomplete"
    assert info.incomplete_reasons == ["rule x failed at run time"]
    with pytest.raises(RunNotFound):
        get_run(engine, second + 100)
    with pytest.raises(RunNotFound):
        get_run(engine, "yesterday")


def test_bulk_findings_cross_batches(engine):
    n = 2 * BATCH + 345  # three batches, the last one partial
    run_id = record_run(engine, big_result(n), T0, T1)
    with engine.connect() as conn:
        count = conn.execute(
            select(func.count()).select_from(RunFinding.__table__).where(RunFinding.__table__.c.run_id == run_id)
        ).scalar()
        distinct = conn.execute(
            select(func.count(func.distinct(RunFinding.__table__.c.fingerprint)))
            .where(RunFinding.__table__.c.run_id == run_id)
        ).scalar()
        groups = conn.execute(select(func.count()).select_from(RunGroup.__table__)).scalar()
    assert count == n
    assert distinct == n  # n different serials, n different fingerprints
    assert groups == 1  # message and evidence stored once, not n times


def test_failure_mid_write_leaves_nothing(engine):
    record_run(engine, small(), T0, T1)

    def explode(stage, count):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        record_run(engine, big_result(BATCH + 10), T0, T1, progress=explode)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Run.__table__)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(RunFinding.__table__)).scalar() == 4
    # The database is still writable afterwards (no lock left behind).
    record_run(engine, small(), T0, T1)
    assert len(list_runs(engine)) == 2


def test_sqlite_uses_wal(tmp_path):
    from auditor.store.db import open_engine, upgrade

    eng = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    upgrade(eng)
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    eng.dispose()


def test_record_audit_creates_schema_on_a_fresh_database(db_url):
    from auditor.store.db import current_revision, head_revision, open_engine
    from auditor.store.runs import record_audit

    run_id = record_audit(db_url, small(), T0, T1)
    eng = open_engine(db_url)
    assert current_revision(eng) == head_revision()
    assert [r.id for r in list_runs(eng)] == [run_id]
    eng.dispose()


def test_record_audit_unreachable_database_is_a_store_error():
    import socket

    from auditor.store.db import StoreError
    from auditor.store.runs import record_audit

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError, match=r"postgresql\+psycopg://u:\*\*\*@127\.0\.0\.1"):
        record_audit(f"postgresql+psycopg://u:pw@127.0.0.1:{port}/x", small(), T0, T1)
