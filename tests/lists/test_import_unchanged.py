"""`lists import` of the file the active version was imported from changes nothing.

A compliance officer imported the same sdn.csv twice: the second import made a new version,
retired the first and — without --retrieved — threw away the recorded retrieval date, so the
list looked as old as its import date. Now the active version is kept and the command says so.
"""

from __future__ import annotations

import json
import shutil

import pytest

from auditor.refdata.importers import IMPORTERS

from .conftest import read_into_other_entries


def shown(run_cli, db_url) -> list[dict]:
    _, out, _ = run_cli("lists", "show", "--all", "--json", "--db", db_url)
    return json.loads(out)["imported"]


@pytest.fixture
def sdn(run_cli, db_url, shared_lists):
    """The real 2019 sdn.csv, imported once, retrieved 2026-11-30: version 1."""
    path = shared_lists / "ofac_sdn_2019.csv"
    code, _, err = run_cli("lists", "import", path, "--retrieved", "2026-11-30", "--db", db_url)
    assert code == 0, err
    return path


def test_the_same_file_again_keeps_the_active_version(run_cli, db_url, sdn):
    before = shown(run_cli, db_url)
    code, out, err = run_cli("lists", "import", sdn, "--db", db_url)
    assert code == 0, err
    assert out == (f"unchanged: {sdn} is the active ofac-sdn version already (sha256 03d49191a00ba63b…): "
                   "nothing imported, version 1 kept, retrieved 2026-11-30\n")
    assert "warning" not in err  # no "recorded as unknown": nothing was recorded
    assert shown(run_cli, db_url) == before  # no version 2, the retrieval date kept


def test_a_later_retrieval_date_is_recorded_on_the_kept_version(run_cli, db_url, sdn):
    code, out, err = run_cli("lists", "import", sdn, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 0, err
    assert out.startswith(f"unchanged: {sdn} is the active ofac-sdn version already")
    assert out.rstrip().endswith("nothing imported, version 1 kept, its retrieval date is now 2026-12-01 "
                                 "(was 2026-11-30)")
    (version,) = shown(run_cli, db_url)
    assert (version["id"], version["active"], version["retrieved"]) == (1, True, "2026-12-01")
    # An earlier date does not move it back.
    code, out, _ = run_cli("lists", "import", sdn, "--retrieved", "2026-11-15", "--db", db_url)
    assert code == 0
    assert out.rstrip().endswith("version 1 kept, retrieved 2026-12-01 (kept: later than --retrieved 2026-11-15)")
    assert [v["retrieved"] for v in shown(run_cli, db_url)] == ["2026-12-01"]


def test_an_unknown_retrieval_date_stays_unknown_until_one_is_given(run_cli, db_url, shared_lists):
    fcc = shared_lists / "fcc_covered_list.csv"
    assert run_cli("lists", "import", fcc, "--db", db_url)[0] == 0
    (first,) = shown(run_cli, db_url)
    code, out, err = run_cli("lists", "import", fcc, "--db", db_url)
    assert code == 0
    assert out.rstrip().endswith("nothing imported, version 1 kept, retrieval date unknown")
    assert ("auditor: warning: no --retrieved date: the retrieval date of version 1 stays unknown and the list's "
            f"age is measured from its import date, {first['imported_at'][:10]}") in err
    code, out, _ = run_cli("lists", "import", fcc, "--retrieved", "2026-11-30", "--db", db_url)
    assert code == 0
    assert out.rstrip().endswith("version 1 kept, its retrieval date is now 2026-11-30 (was unknown)")
    assert [(v["id"], v["retrieved"]) for v in shown(run_cli, db_url)] == [(1, "2026-11-30")]


def test_the_same_bytes_under_another_name_are_the_same_file(run_cli, db_url, sdn, tmp_path):
    copy = tmp_path / "sdn.csv"
    shutil.copy(sdn, copy)
    code, out, _ = run_cli("lists", "import", copy, "--format", "ofac-sdn", "--db", db_url)
    assert code == 0
    assert f"nothing imported, version 1 (imported from {sdn}) kept, retrieved 2026-11-30" in out
    assert len(shown(run_cli, db_url)) == 1


def test_a_file_of_a_superseded_version_is_imported_again(run_cli, db_url, sdn, tmp_path):
    cut = tmp_path / "sdn.csv"
    cut.write_text("".join(sdn.read_text(encoding="utf-8").splitlines(keepends=True)[:7000]), encoding="utf-8")
    assert run_cli("lists", "import", cut, "--retrieved", "2026-12-01", "--db", db_url)[0] == 0
    code, out, _ = run_cli("lists", "import", sdn, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 0
    assert out.startswith(f"imported {sdn} as ofac-sdn (version 3,")  # version 1's file, but version 2 is active
    assert [(v["id"], v["active"]) for v in shown(run_cli, db_url)] == [(1, False), (2, False), (3, True)]


def test_the_same_file_read_into_other_entries_is_a_new_version(run_cli, db_url, shared_lists, monkeypatch):
    """A release whose importer reads the file differently: its entries must replace the stored ones."""
    fcc = shared_lists / "fcc_covered_list.csv"
    assert run_cli("lists", "import", fcc, "--retrieved", "2026-11-30", "--db", db_url)[0] == 0
    read_into_other_entries(monkeypatch, IMPORTERS["fcc-covered"])
    code, out, err = run_cli("lists", "import", fcc, "--retrieved", "2026-11-30", "--db", db_url)
    assert code == 0, err
    assert (f"auditor: note: {fcc} is the file of active version 1 (same SHA-256), but this release of auditor "
            "reads it into other entries: imported as a new version") in err
    assert out.startswith(f"imported {fcc} as fcc-covered (version 2,")
    assert [(v["id"], v["active"]) for v in shown(run_cli, db_url)] == [(1, False), (2, True)]


def test_the_same_file_again_on_postgres(run_cli, pg_url, shared_lists):
    assert run_cli("db", "upgrade", "--db", pg_url)[0] == 0
    h1260 = shared_lists / "dod_1260h.csv"
    assert run_cli("lists", "import", h1260, "--retrieved", "2026-11-30", "--db", pg_url)[0] == 0
    code, out, _ = run_cli("lists", "import", h1260, "--retrieved", "2026-12-01", "--db", pg_url)
    assert code == 0
    assert out.rstrip().endswith("version 1 kept, its retrieval date is now 2026-12-01 (was 2026-11-30)")
    code, out, _ = run_cli("lists", "import", h1260, "--db", pg_url)
    assert code == 0 and out.rstrip().endswith("version 1 kept, retrieved 2026-12-01")
    assert [(v["id"], v["active"], v["retrieved"]) for v in shown(run_cli, pg_url)] == [(1, True, "2026-12-01")]
