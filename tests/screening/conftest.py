"""Screening against the real shared lists: built once per test session."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

import pytest

from auditor.refdata.curated import load_curated
from auditor.refdata.entities import ListEntry
from auditor.refdata.importers import IMPORTERS
from auditor.refdata.lists_source import screening_entries
from auditor.screening import DEFAULT_THRESHOLD, Screener
from auditor.screening import screener as screener_module
from auditor.screening.match import compare_normalised
from auditor.screening.normalize import normalise_name
from tests.conftest import shared_lists

INDUSTRY = Path(__file__).resolve().parents[2] / "benchmarks" / "industry_names.txt"


@pytest.fixture(scope="session")
def screener() -> Screener:
    """Every entry of the shared lists, read by the product's importers, plus the curated list."""
    lists = shared_lists()
    files = {"csl-csv": "csl_2023-11_partial.csv", "ofac-sdn": "ofac_sdn_2019.csv", "ofac-alt": "ofac_alt_2025.csv",
             "dod-1260h": "dod_1260h.csv", "fcc-covered": "fcc_covered_list.csv"}
    curated, _ = load_curated()
    return Screener(screening_entries(
        ((IMPORTERS[k].slot, IMPORTERS[k].parse(lists / f).entries) for k, f in files.items()), curated))


def industry_names() -> list[str]:
    """ASIC makers, hosts, pools and chip vendors that must not match (benchmarks/industry_names.txt)."""
    lines = INDUSTRY.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def compared_one_by_one(query: str, entries: Sequence[ListEntry], as_of: date) -> dict[tuple[str, str], float]:
    """What screening ``query`` must report, found without the index: every entry listed on
    ``as_of`` whose name or an alias compares at the threshold or above, less the matches
    screening takes for chance among many listed names (a lone acronym, a slip of the hand, a
    vessel's ordinary name), at its best score. For checking that the index loses nothing."""
    expected = {}
    for entry in entries:
        if not entry.listed_on(as_of):
            continue
        located = screener_module.located_places(entry)
        scores = [c.score for c in (compare_normalised(normalise_name(query), normalise_name(n), located)
                                    for n in (entry.name, *entry.aliases))
                  if c.score >= DEFAULT_THRESHOLD and not screener_module._by_chance(c)
                  and not screener_module.craft_by_chance(c, entry)]
        if scores:
            expected[(entry.list_name, entry.entity_id)] = max(scores)
    return expected
