"""The list store: versions, atomic swaps, alt-name merging, staleness and bundled-only warnings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from auditor.refdata.importers import IMPORTERS
from auditor.refdata.importers.base import file_sha256
from auditor.refdata.lists_source import load_screening_entries
from auditor.store.db import open_engine, prepare_schema
from auditor.store.lists import (
    ListEntryRow,
    PendingImport,
    Recheck,
    VersionSuperseded,
    active_entries,
    holds_the_same,
    record_retrieved,
    store_imports,
    versions,
)

FIXTURES = Path(__file__).with_name("fixtures")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
T1 = datetime(2026, 1, 6, 9, 0, tzinfo=timezone.utc)


def pending(fmt: str, name: str, retrieved: date | None = None, result=None) -> PendingImport:
    path = FIXTURES / name
    imp = IMPORTERS[fmt]
    return PendingImport(fmt, imp.slot, str(path), file_sha256(path), retrieved, result or imp.parse(path))


@pytest.fixture
def engine(db_url):
    e = open_engine(db_url)
    prepare_schema(e)
    return e


def entry_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ListEntryRow)).scalar_one()


def test_import_round_trips_every_field(engine):
    p = pending("csl-csv", "csl_small.csv", retrieved=date(2026, 1, 4))
    (info,) = store_imports(engine, [p], T0)
    assert info.active and info.entries == 4 and info.sha256 == file_sha256(FIXTURES / "csl_small.csv")
    assert info.retrieved == date(2026, 1, 4) and info.imported_at == T0
    assert info.warnings and "repeated header" in info.warnings[0]
    ((got_info, got),) = active_entries(engine)
    assert got == p.result.entries  # frozen dataclasses: every field equal


def test_a_version_holds_the_same_file_only_with_the_same_bytes_format_and_entries(engine):
    p = pending("csl-csv", "csl_small.csv")
    (info,) = store_imports(engine, [p], T0)
    assert holds_the_same(engine, info, pending("csl-csv", "csl_small.csv"))
    assert not holds_the_same(engine, info, replace(p, sha256="0" * 64))
    assert not holds_the_same(engine, info, replace(p, format="csl-json"))
    renamed = replace(p.result, entries=[replace(p.result.entries[0], name="Other Name"), *p.result.entries[1:]])
    assert not holds_the_same(engine, info, replace(p, result=renamed))


def test_a_recorded_retrieval_date_only_moves_forward(engine):
    (info,) = store_imports(engine, [pending("csl-csv", "csl_small.csv")], T0)
    assert record_retrieved(engine, info.id, date(2026, 1, 4)).retrieved == date(2026, 1, 4)  # was unknown
    assert record_retrieved(engine, info.id, date(2026, 1, 2)).retrieved == date(2026, 1, 4)
    assert record_retrieved(engine, info.id, date(2026, 1, 5)).retrieved == date(2026, 1, 5)
    assert entry_rows(engine) == 4 and len(versions(engine)) == 1


def test_a_recheck_is_recorded_with_the_stores_of_its_update_or_not_at_all(engine):
    (csl,) = store_imports(engine, [pending("csl-csv", "csl_small.csv", retrieved=date(2026, 1, 4))], T0)
    stored, checked = store_imports(engine, [pending("ofac-sdn", "sdn_small.csv", retrieved=date(2026, 1, 6))], T1,
                                    [Recheck(csl.id, date(2026, 1, 6))])
    assert (stored.slot, stored.checked_at) == ("ofac-sdn", None)
    assert (checked.id, checked.active, checked.retrieved, checked.checked_at, checked.imported_at) == (
        csl.id, True, date(2026, 1, 6), T1, T0)
    # A version superseded meanwhile (another import ran between download and store): nothing is
    # recorded, not even the files stored beside it.
    store_imports(engine, [pending("csl-json", "csl_small.json")], T1)
    before = versions(engine)
    with pytest.raises(VersionSuperseded):
        store_imports(engine, [pending("ofac-alt", "alt_small.csv")], T1, [Recheck(csl.id, date(2026, 1, 7))])
    assert versions(engine) == before


def test_new_version_replaces_the_slot_and_keeps_history(engine):
    store_imports(engine, [pending("csl-csv", "csl_small.csv")], T0)
    (second,) = store_imports(engine, [pending("csl-json", "csl_small.json")], T1)  # same "csl" slot
    all_versions = versions(engine)
    assert [(v.format, v.active) for v in all_versions] == [("csl-csv", False), ("csl-json", True)]
    assert entry_rows(engine) == 3  # the superseded version's entries are gone
    assert [i.id for i, _ in active_entries(engine)] == [second.id]


def test_failed_import_leaves_previous_version_active(engine):
    (first,) = store_imports(engine, [pending("csl-csv", "csl_small.csv")], T0)
    good = IMPORTERS["csl-csv"].parse(FIXTURES / "csl_update_ok.csv")
    # An entry the database must reject (name is NOT NULL) half-way through the batch.
    broken = replace(good, entries=[*good.entries[:3], replace(good.entries[3], name=None), *good.entries[4:]])
    with pytest.raises(SQLAlchemyError):
        store_imports(engine, [pending("csl-csv", "csl_update_ok.csv", result=broken)], T1)
    assert [(v.id, v.active) for v in versions(engine)] == [(first.id, True)]
    assert entry_rows(engine) == 4


def test_multi_list_swap_is_all_or_nothing(engine):
    store_imports(engine, [pending("ofac-sdn", "sdn_small.csv")], T0)
    alt = IMPORTERS["ofac-alt"].parse(FIXTURES / "alt_small.csv")
    broken_alt = replace(alt, entries=[replace(alt.entries[0], entity_id=None)])
    with pytest.raises(SQLAlchemyError):
        store_imports(engine, [pending("csl-csv", "csl_small.csv"), pending("ofac-alt", "alt_small.csv", result=broken_alt)], T1)
    assert [v.slot for v in versions(engine)] == ["ofac-sdn"]


def test_alt_names_join_sdn_entries_in_either_order(engine):
    store_imports(engine, [pending("ofac-alt", "alt_small.csv")], T0)
    alone, _, _ = load_screening_entries(engine, include_curated=False)
    assert sorted(e.entity_id for e in alone) == ["1001", "1003", "2001"]  # alt-only entries still screened
    store_imports(engine, [pending("ofac-sdn", "sdn_small.csv")], T1)
    entries, infos, _ = load_screening_entries(engine, include_curated=False)
    sdn = {e.entity_id: e for e in entries}
    assert sorted(sdn) == ["1001", "1002", "1003", "2001"]
    assert sdn["1001"].name == "TEST HOSTING LLC"
    assert sdn["1001"].aliases == ("MC TEST HOSTING", "TEST HOSTING OLD NAME")
    assert sdn["1003"].aliases == ("SEA EXAMPLE II",)
    assert sdn["2001"].name == "ALT ONLY COMPANY LLC" and "alternate names only" in sdn["2001"].remarks
    assert {i.sha256 for i in infos} == {file_sha256(FIXTURES / "alt_small.csv"), file_sha256(FIXTURES / "sdn_small.csv")}


def test_bundled_only_warning_and_no_store(engine):
    entries, infos, warnings = load_screening_entries(None, as_of=date(2026, 1, 10))
    assert infos and infos[0].name == "auditor curated entities"
    assert any("only the bundled curated list" in w for w in warnings)
    entries2, _, warnings2 = load_screening_entries(engine)  # empty store: same warning
    assert len(entries2) == len(entries) and any("only the bundled" in w for w in warnings2)
    _, _, none_warn = load_screening_entries(engine, include_curated=False)
    assert any("no screening list is loaded" in w for w in none_warn)


def test_stale_import_warning_uses_as_of_and_retrieved_date(engine):
    store_imports(engine, [pending("csl-csv", "csl_small.csv", retrieved=date(2026, 1, 1))], T0)
    store_imports(engine, [pending("dod-1260h", "dod_1260h_small.csv")], T0)  # retrieval date unknown
    _, infos, ok = load_screening_entries(engine, as_of=date(2026, 1, 31), max_age_days=30)
    assert not any("days before" in w for w in ok)  # 30 days old, limit 30: still fine
    _, _, stale = load_screening_entries(engine, as_of=date(2026, 2, 1), max_age_days=30)
    stale = [w for w in stale if "days before" in w]
    assert len(stale) == 1 and "retrieved on 2026-01-01" in stale[0] and "31 days" in stale[0]
    _, _, both = load_screening_entries(engine, as_of=date(2026, 2, 5), max_age_days=30)
    assert any("imported (retrieval date unknown) on 2026-01-05" in w for w in both)
    # Imported lists are named per section with date and hash, curated list last.
    assert [i.name for i in infos][-1] == "auditor curated entities"
    el = next(i for i in infos if i.name.startswith("Entity List"))
    assert (el.entries, el.retrieved) == (2, "2026-01-01")


def test_list_newer_than_the_audit_date_is_flagged(engine):
    store_imports(engine, [pending("csl-csv", "csl_small.csv", retrieved=date(2026, 1, 1))], T0)
    _, _, warnings = load_screening_entries(engine, as_of=date(2025, 6, 18))
    assert any("after the audit date 2025-06-18" in w for w in warnings)
    _, _, same_day = load_screening_entries(engine, as_of=date(2026, 1, 1))
    assert not any("after the audit date" in w or "days before" in w for w in same_day)


def test_database_refuses_two_active_versions_of_one_slot(engine):
    from sqlalchemy import update as sql_update
    from sqlalchemy.exc import IntegrityError

    from auditor.store.lists import ListVersion

    store_imports(engine, [pending("csl-csv", "csl_small.csv")], T0)
    store_imports(engine, [pending("csl-json", "csl_small.json")], T1)
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(sql_update(ListVersion.__table__).values(active=True))
    assert [v.active for v in versions(engine)] == [False, True]


def test_migration_matches_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import auditor.store.tables  # noqa: F401
    from auditor.store.base import Base

    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
