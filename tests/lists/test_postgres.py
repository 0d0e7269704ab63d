"""The list store on a real PostgreSQL: migration, atomic import, read-back, update guard."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

FIXTURES = Path(__file__).with_name("fixtures")


def test_import_show_and_atomicity_on_postgres(run_cli, pg_url):
    from auditor.refdata.lists_source import load_screening_entries
    from auditor.store.db import open_engine

    engine = open_engine(pg_url)
    with engine.begin() as conn:  # a clean schema for this test
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    # A shared server is migrated only by `auditor db upgrade`, never by an import.
    code, _, err = run_cli("lists", "import", FIXTURES / "csl_small.csv", "--format", "csl-csv", "--db", pg_url)
    assert code == 2 and "auditor db upgrade" in err
    code, _, err = run_cli("db", "upgrade", "--db", pg_url)
    assert code == 0, err
    code, out, err = run_cli("lists", "import", FIXTURES / "csl_small.csv", "--format", "csl-csv", "--db", pg_url)
    assert code == 0, err
    assert "4 records read, 4 entries" in out
    code, _, _ = run_cli("lists", "import", FIXTURES / "sdn_small.csv", "--format", "ofac-sdn", "--db", pg_url)
    assert code == 0
    code, _, _ = run_cli("lists", "import", FIXTURES / "alt_small.csv", "--format", "ofac-alt", "--db", pg_url)
    assert code == 0
    entries, infos, warnings = load_screening_entries(engine, include_curated=False)
    by_id = {e.entity_id: e for e in entries}
    assert by_id["1001"].aliases == ("MC TEST HOSTING", "TEST HOSTING OLD NAME")
    assert by_id["el-002"].end.isoformat() == "2024-02-01"
    # A broken file changes nothing.
    bad = FIXTURES / "dod_1260h_small.csv"
    code, _, err = run_cli("lists", "import", bad, "--format", "csl-csv", "--db", pg_url)
    assert code == 2
    _, out, _ = run_cli("lists", "show", "--json", "--db", pg_url)
    shown = json.loads(out)["imported"]
    assert sorted((v["slot"], v["entries"]) for v in shown) == [("csl", 4), ("ofac-alt", 3), ("ofac-sdn", 3)]
    with engine.connect() as conn:
        from auditor.store.db import head_revision

        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext

        import auditor.store.tables  # noqa: F401
        from auditor.store.base import Base

        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
