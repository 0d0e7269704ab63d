"""`lists update` that downloads the files of the active versions again changes no version.

An officer who ran `lists update` every morning found, in `lists show --all`, a new version of
each list every day although the publishers had not changed a byte: a history of versions that
were no changes. Now a download identical to the active version keeps that version, records
that the list was checked (its retrieval date moved to the day of the download, the time of the
check beside it), says so, and leaves the screening index as it is. Against a loopback server.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from .conftest import publish, read_into_other_entries, update

MONDAY = datetime(2026, 11, 2, 9, 0, 0, tzinfo=timezone.utc)
TUESDAY = datetime(2026, 11, 3, 10, 11, 12, tzinfo=timezone.utc)


@pytest.fixture
def clock(monkeypatch):
    """The one clock `lists` commands read (cli/lists_cmd._now), set by the test."""
    now = [MONDAY]
    monkeypatch.setattr("auditor.cli.lists_cmd._now", lambda: now[0])
    return now


def show_all(run_cli, db_url) -> list[dict]:
    code, out, err = run_cli("lists", "show", "--all", "--json", "--db", db_url)
    assert code == 0, err
    return json.loads(out)["imported"]


def index_files(db_url: str) -> dict[str, int]:
    """The stored screening index (beside the SQLite file): each file with its modification time."""
    folder = Path(db_url.removeprefix("sqlite:///") + ".screening-index")
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_downloads_again_keep_every_version_and_say_so(run_cli, db_url, server, clock):
    base, root = server
    publish(root, "csl_small.csv")
    assert update(run_cli, base, db_url)[0] == 0
    before = show_all(run_cli, db_url)
    index = index_files(db_url)
    assert index and [v["id"] for v in before] == [1, 3, 2]  # csl, ofac-alt, ofac-sdn

    clock[0] = TUESDAY
    code, out, err = update(run_cli, base, db_url)
    assert code == 0, err
    sha = {v["slot"]: v["sha256"][:16] for v in before}
    checked = "its retrieval date is now 2026-11-03 (was 2026-11-02), checked 2026-11-03 10:11:12 UTC"
    assert out.splitlines() == [
        f"unchanged: {base}/consolidated.csv is the active csl version already (sha256 {sha['csl']}…): "
        f"nothing imported, version 1 kept, {checked}",
        f"unchanged: {base}/sdn.csv is the active ofac-sdn version already (sha256 {sha['ofac-sdn']}…): "
        f"nothing imported, version 2 kept, {checked}",
        f"unchanged: {base}/alt.csv is the active ofac-alt version already (sha256 {sha['ofac-alt']}…): "
        f"nothing imported, version 3 kept, {checked}",
        "screening index: kept (no list changed)",
    ]
    assert "warning" not in err

    after = show_all(run_cli, db_url)
    # No new version: the same three, active, imported on Monday; checked and retrieved on Tuesday.
    assert [{**v, "retrieved": "2026-11-02", "checked_at": None} for v in after] == before
    assert {(v["id"], v["active"], v["imported_at"], v["retrieved"], v["checked_at"]) for v in after} == {
        (i, True, "2026-11-02T09:00:00+00:00", "2026-11-03", "2026-11-03T10:11:12+00:00") for i in (1, 2, 3)}
    assert index_files(db_url) == index  # the index neither rebuilt nor rewritten

    # `lists show` says when the list was last checked.
    _, shown, _ = run_cli("lists", "show", "--db", db_url)
    assert ("  imported 2026-11-02 09:00:00 UTC, retrieved 2026-11-03 (last checked 2026-11-03 10:11:12 UTC: "
            "unchanged), sha256 ") in shown

    # Once more the same day: the date stays, the time of the check moves.
    clock[0] = TUESDAY.replace(hour=17)
    code, out, _ = update(run_cli, base, db_url)
    assert code == 0
    assert out.splitlines()[1].endswith("nothing imported, version 2 kept, retrieved 2026-11-03, "
                                        "checked 2026-11-03 17:11:12 UTC")
    assert len(show_all(run_cli, db_url)) == 3


def test_an_audit_reads_the_date_of_the_last_check(run_cli, db_url, server, clock, tmp_path):
    """A list downloaded on 2 November and found unchanged on 3 December is current on 4 December:
    the report states the date it was last retrieved, and the audit is not stale for it."""
    base, root = server
    publish(root, "csl_small.csv")
    assert update(run_cli, base, db_url)[0] == 0
    clock[0] = datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)
    assert update(run_cli, base, db_url)[0] == 0
    inventory = tmp_path / "fleet.csv"
    inventory.write_text("serial,model,supplier\nS1,Antminer S21,Acme Hosting LLC\n", encoding="utf-8")
    code, out, err = run_cli("audit", inventory, "--out", tmp_path / "out", "--as-of", "2026-12-04", "--db", db_url,
                             "--rules", "rules/entity/ENT-001.toml", "--format", "json", "--no-record")
    doc = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert doc["summary"]["status"] == "complete", (out, err)  # 30 days from 2 November would have been stale
    imported = [li for li in doc["inputs"]["lists"] if li["source"].startswith(("csl-csv", "ofac-"))]
    assert imported and {li["retrieved"] for li in imported} == {"2026-12-03"}
    assert {li["source"] for li in imported} == {f"csl-csv: {base}/consolidated.csv (imported 2026-11-02)",
                                                 f"ofac-sdn: {base}/sdn.csv (imported 2026-11-02)",
                                                 f"ofac-alt: {base}/alt.csv (imported 2026-11-02)"}


def test_a_changed_file_is_a_new_version_beside_the_unchanged_ones(run_cli, db_url, server, clock):
    base, root = server
    publish(root, "csl_small.csv")
    assert update(run_cli, base, db_url)[0] == 0
    index = index_files(db_url)
    clock[0] = TUESDAY
    publish(root, "csl_update_ok.csv")  # the CSL gains an Entity List entry; sdn.csv and alt.csv as they were
    code, out, err = update(run_cli, base, db_url)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"imported {base}/consolidated.csv as csl-csv (version 4,")
    assert ("  Entity List (EL) - Bureau of Industry and Security: 1 entry more than the active version 1 "
            "(2 → 3, +50.0%)") in lines
    unchanged = [line for line in lines if line.startswith("unchanged:")]
    assert [line.split(" is ")[0] for line in unchanged] == [f"unchanged: {base}/sdn.csv", f"unchanged: {base}/alt.csv"]
    assert lines[-1].startswith("screening index: ") and lines[-1] != "screening index: kept (no list changed)"
    assert index_files(db_url) != index  # a list changed: the index of the new set of versions is built
    versions = {v["id"]: v for v in show_all(run_cli, db_url)}
    assert sorted(versions) == [1, 2, 3, 4]
    assert (versions[1]["active"], versions[4]["active"]) == (False, True)
    assert versions[4]["checked_at"] is None and versions[4]["retrieved"] == "2026-11-03"
    assert [(versions[i]["active"], versions[i]["checked_at"]) for i in (2, 3)] == [
        (True, "2026-11-03T10:11:12+00:00")] * 2


def test_a_refused_update_records_no_check_either(run_cli, db_url, server, clock):
    """All or nothing: when the CSL is refused for a lost section, the unchanged OFAC files are not
    recorded as checked either — nothing changed, as the error says."""
    base, root = server
    publish(root, "csl_small.csv")
    assert update(run_cli, base, db_url)[0] == 0
    before = show_all(run_cli, db_url)
    clock[0] = TUESDAY
    publish(root, "csl_update_lossy.csv")
    code, out, err = update(run_cli, base, db_url)
    assert code == 2 and "update refused, nothing changed" in err and out == ""
    assert show_all(run_cli, db_url) == before


def test_the_same_download_again_on_postgres(run_cli, pg_url, server, clock):
    """On a server database, from the schema before this change: `lists update` asks for
    `auditor db upgrade`, which adds the column; then an identical download keeps its version."""
    from alembic import command
    from sqlalchemy import text

    from auditor.store.db import _alembic_config, open_engine

    engine = open_engine(pg_url)
    command.upgrade(_alembic_config(engine), "0002_runs")  # a team's database as the last release left it
    base, root = server
    publish(root, "csl_small.csv")
    code, _, err = update(run_cli, base, pg_url)
    assert code == 2 and "has schema 0002_runs, this auditor needs 0003_list_checked" in err
    assert "auditor db upgrade" in err
    assert run_cli("db", "upgrade", "--db", pg_url)[0] == 0
    assert update(run_cli, base, pg_url)[0] == 0
    clock[0] = TUESDAY
    code, out, err = update(run_cli, base, pg_url)
    assert code == 0, err
    assert out.splitlines()[-1] == "screening index: kept (no list changed)"
    assert [line.startswith("unchanged: ") for line in out.splitlines()[:3]] == [True] * 3
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, active, retrieved, checked_at FROM list_versions ORDER BY id")).all()
    assert [(r.id, r.active, r.retrieved.isoformat(), r.checked_at) for r in rows] == [
        (i, True, "2026-11-03", TUESDAY) for i in (1, 2, 3)]
    engine.dispose()


def test_the_same_file_read_into_other_entries_is_stored_again(run_cli, db_url, server, clock, monkeypatch):
    """As for `lists import`: a release whose importer reads the same bytes differently must
    replace the stored entries, and says why."""
    from auditor.refdata.importers import IMPORTERS

    base, root = server
    publish(root, "csl_small.csv")
    assert update(run_cli, base, db_url)[0] == 0
    read_into_other_entries(monkeypatch, IMPORTERS["ofac-sdn"])
    clock[0] = TUESDAY
    code, out, err = update(run_cli, base, db_url)
    assert code == 0, err
    assert (f"auditor: note: {base}/sdn.csv is the file of active version 2 (same SHA-256), but this release of "
            "auditor reads it into other entries: imported as a new version") in err
    assert f"imported {base}/sdn.csv as ofac-sdn (version 4," in out
    assert sum(line.startswith("unchanged: ") for line in out.splitlines()) == 2
