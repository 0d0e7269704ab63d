"""`screen_many` screens big batches on every CPU (forked workers, ``screener.py``): the
results must be exactly those of screening each name on its own, in the input's order."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path

import pytest

from auditor.screening import Screener
from auditor.screening import screener as screener_module

from .conftest import industry_names

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 6, 1)


def _varied_names(screener: Screener) -> list[str]:
    """Industry names, both sides of the labelled pairs (list names, look-alikes, other
    scripts), listed names with a letter lost, and repeats: about 2,000 names."""
    names = industry_names()
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
    # Both this process and the forked worker screened some: a worker's entries are copies.
    index_entries = {id(entry) for entry in screener.entries}
    matched = [m.entry for ms in parallel.values() for m in ms]
    assert any(id(entry) in index_entries for entry in matched)
    assert any(id(entry) not in index_entries for entry in matched)


@pytest.mark.skipif(screener_module.__file__.endswith(".so"),
                    reason="compiled by mypyc, the screener's methods cannot be replaced (tested on the source)")
def test_a_failing_worker_fails_the_batch(screener: Screener, monkeypatch) -> None:
    """A name the forked worker cannot screen is an error of the whole batch, never a
    batch with names missing."""
    names = _varied_names(screener)
    parent = os.getpid()
    screen = Screener.screen

    def screen_or_fail_in_worker(self: Screener, name: str, *args: object) -> object:
        if os.getpid() != parent:
            raise ValueError(f"cannot screen {name}")
        return screen(self, name, *args)

    monkeypatch.setattr(screener_module, "PARALLEL_MIN_NAMES", 0)
    monkeypatch.setattr(screener_module, "_worker_count", lambda: 2)
    monkeypatch.setattr(Screener, "screen", screen_or_fail_in_worker)
    with pytest.raises(RuntimeError, match="screening worker failed: ValueError"):
        screener.screen_many(names, AS_OF)


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


def test_the_index_built_on_two_cpus_is_the_one_built_on_one(screener: Screener, monkeypatch) -> None:
    """A big list is normalised partly by a forked worker, partly by the building process: the
    index must be exactly the one a single process builds (same records, same postings)."""
    entries = list(screener.entries[::3])  # about 5,700 entries of every list
    monkeypatch.setattr(screener_module, "PARALLEL_MIN_ENTRIES", 10**9)
    alone = Screener(entries).to_state()
    monkeypatch.setattr(screener_module, "PARALLEL_MIN_ENTRIES", 0)
    monkeypatch.setattr(screener_module, "_worker_count", lambda: 2)
    names = [(e.name, *e.aliases) for e in entries]
    assert len(list(screener_module._all_name_parts(names))) == 2  # the second share came from the worker
    shared = Screener(entries).to_state()
    # The middle signatures are stored in their set's order, which may differ: the same set.
    assert set(shared.pop("middle_signatures")) == set(alone.pop("middle_signatures"))
    assert shared == alone
    assert len(alone["records"]) > 10000
