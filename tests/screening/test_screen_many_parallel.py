"""`screen_many` screens big batches on every CPU (forked workers, ``screener.py``): the
results must be exactly those of screening each name on its own, in the input's order."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from auditor.refdata.curated import load_curated
from auditor.refdata.importers import IMPORTERS
from auditor.refdata.lists_source import merge_alternate_names
from auditor.screening import Screener
from auditor.screening import screener as screener_module
from tests.conftest import shared_lists

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def screener() -> Screener:
    lists = shared_lists()
    csl = IMPORTERS["csl-csv"].parse(lists / "csl_2023-11_partial.csv").entries
    sdn = IMPORTERS["ofac-sdn"].parse(lists / "ofac_sdn_2019.csv").entries
    alternates = IMPORTERS["ofac-alt"].parse(lists / "ofac_alt_2025.csv").entries
    dod = IMPORTERS["dod-1260h"].parse(lists / "dod_1260h.csv").entries
    merged, leftovers, _ = merge_alternate_names(sdn, alternates)
    curated, _ = load_curated()
    return Screener([*csl, *merged, *leftovers, *dod, *curated])


def _varied_names(screener: Screener) -> list[str]:
    """Industry names, both sides of the labelled pairs (list names, look-alikes, other
    scripts), listed names with a letter lost, and repeats: about 2,000 names."""
    industry = (HERE.parents[1] / "benchmarks" / "industry_names.txt").read_text(encoding="utf-8").splitlines()
    names = [line.strip() for line in industry if line.strip() and not line.startswith("#")]
    with (HERE / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names += [row["name_a"], row["name_b"]]
    listed = [entry.name for entry in screener.entries[::60]]
    names += [name[: len(name) // 2] + name[len(name) // 2 + 1 :] for name in listed]  # typos
    return names + names[::7]  # repeats: screened once, kept in first-seen order


def test_parallel_screen_many_equals_screening_each_name(screener: Screener, monkeypatch) -> None:
    names = _varied_names(screener)
    expected = {name: screener.screen(name, AS_OF) for name in names}
    assert len(expected) > 1500 and sum(1 for m in expected.values() if m) > 300  # hits and misses
    # Through the process pool even for this batch and on a one-CPU machine.
    monkeypatch.setattr(screener_module, "PARALLEL_MIN_NAMES", 0)
    monkeypatch.setattr(screener_module, "_worker_count", lambda: 2)
    parallel = screener.screen_many(names, AS_OF)
    assert list(parallel) == list(expected)
    for name, matches in expected.items():
        assert [m.to_dict() for m in parallel[name]] == [m.to_dict() for m in matches], name
        assert [m.entry for m in parallel[name]] == [m.entry for m in matches], name


def test_parallel_screen_many_keeps_the_list_filter_and_threshold(screener: Screener, monkeypatch) -> None:
    names = _varied_names(screener)[:400]
    lists = {"Entity List (EL) - Bureau of Industry and Security"}
    expected = {name: screener.screen(name, AS_OF, lists, 0.8) for name in names}
    monkeypatch.setattr(screener_module, "PARALLEL_MIN_NAMES", 0)
    monkeypatch.setattr(screener_module, "_worker_count", lambda: 2)
    parallel = screener.screen_many(names, AS_OF, lists, 0.8)
    assert {n: [m.to_dict() for m in ms] for n, ms in parallel.items()} == \
        {n: [m.to_dict() for m in ms] for n, ms in expected.items()}
    assert any(expected.values())
