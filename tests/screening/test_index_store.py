"""The screening index is built once per set of list versions, stored beside the lists, and
loaded by later runs with exactly the same results."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from auditor.refdata.curated import load_curated
from auditor.refdata.entities import ListEntry
from auditor.screening import Screener
from auditor.screening.index_store import SUFFIX, cached_screener, index_key, load, store
from tests.conftest import run_cli

AS_OF = date(2026, 6, 1)
EL = "Entity List (EL) - Bureau of Industry and Security"


def _entries() -> list[ListEntry]:
    curated, _ = load_curated()
    return [*curated, ListEntry(EL, "EL-9", "Zhongxing Telecommunication Equipment Corporation", aliases=("ZTE Corp",),
                                start=date(2016, 3, 8), end=date(2018, 7, 13))]


def test_a_stored_index_screens_exactly_like_the_one_built(tmp_path: Path) -> None:
    built = Screener(_entries())
    store(tmp_path, "k1", built)
    loaded = load(tmp_path / ("k1" + SUFFIX), "k1")
    assert loaded is not None and len(loaded) == len(built)
    names = ["Sophgo Technologies Co., Ltd", "SOPHGO TECHNOLOGIES LTD.", "BitRiver", "Huawei Technologies",
             "Zhongxing Telecommunication Equipment Corp", "Canaan Inc."]
    for as_of in (AS_OF, date(2017, 1, 1)):
        got = {n: [(m.list_name, m.entity_id, m.score, m.explanation, m.entry) for m in ms]
               for n, ms in loaded.screen_many(names, as_of).items()}
        want = {n: [(m.list_name, m.entity_id, m.score, m.explanation, m.entry) for m in ms]
                for n, ms in built.screen_many(names, as_of).items()}
        assert got == want
    assert loaded.screen("Zhongxing Telecommunication Equipment Corp", date(2017, 1, 1))[0].entry.end == date(2018, 7, 13)


def test_built_once_then_loaded_and_rebuilt_when_the_sources_change(tmp_path: Path) -> None:
    builds = []

    def build() -> Screener:
        builds.append(1)
        return Screener(_entries())

    first, was_built = cached_screener(tmp_path, ["1:csl:aaa"], build)
    assert was_built and len(builds) == 1
    again, was_built = cached_screener(tmp_path, ["1:csl:aaa"], build)
    assert not was_built and len(builds) == 1 and len(again) == len(first)
    _, was_built = cached_screener(tmp_path, ["2:csl:bbb"], build)  # a new list version
    assert was_built and len(builds) == 2
    # Only the index of the current versions is kept.
    assert [p.name for p in tmp_path.glob("*" + SUFFIX)] == [index_key(["2:csl:bbb"]) + SUFFIX]


def test_a_damaged_index_file_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    key = index_key(["1:csl:aaa"])
    (tmp_path / (key + SUFFIX)).write_bytes(b"\x00not an index")
    screener, was_built = cached_screener(tmp_path, ["1:csl:aaa"], lambda: Screener(_entries()))
    assert was_built and screener.screen("BitRiver", AS_OF)
    assert load(tmp_path / (key + SUFFIX), key) is not None  # rewritten
    assert load(tmp_path / (key + SUFFIX), "another key") is None


def test_the_key_covers_the_matching_code(tmp_path: Path, monkeypatch) -> None:
    from auditor.screening import index_store

    before = index_key(["1:csl:aaa"])
    monkeypatch.setattr(index_store, "code_fingerprint", lambda: "a different matcher")
    assert index_key(["1:csl:aaa"]) != before


def test_lists_import_stores_the_index_beside_the_database_and_screen_loads_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AUDITOR_INDEX_DIR", raising=False)
    fixtures = Path(__file__).resolve().parents[1] / "lists" / "fixtures"
    db = tmp_path / "store.db"
    done = run_cli("lists", "import", str(fixtures / "csl_small.csv"), "--format", "csl-csv",
                   "--retrieved", "2026-05-01", "--db", f"sqlite:///{db}")
    assert done.returncode == 0 and "screening index:" in done.stdout
    (index,) = (tmp_path / "store.db.screening-index").glob("*" + SUFFIX)
    stamp = index.stat().st_mtime_ns
    os.utime(index, ns=(stamp - 10**9, stamp - 10**9))  # so a rewrite would show
    done = run_cli("screen", "Sophgo Technologies Ltd", "--as-of", "2026-06-01", "--db", f"sqlite:///{db}")
    assert done.returncode == 1 and "Sophgo Technologies Ltd." in done.stdout
    assert index.stat().st_mtime_ns == stamp - 10**9  # loaded, not rebuilt
