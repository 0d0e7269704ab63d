"""Real bitcoin-mining industry names against every official list file we have: no match,
while Sophgo's two spellings find their Entity List entries (the issue's "done when")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditor.refdata.curated import load_curated
from auditor.refdata.importers import IMPORTERS
from auditor.refdata.lists_source import merge_alternate_names
from auditor.screening import Screener
from tests.conftest import shared_lists

INDUSTRY = Path(__file__).resolve().parents[2] / "benchmarks" / "industry_names.txt"
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


def _industry_names() -> list[str]:
    lines = INDUSTRY.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_industry_names_raise_no_match(screener: Screener) -> None:
    names = _industry_names()
    assert "Canaan Inc." in names and "Iris Energy Limited" in names and len(names) >= 70
    hits = {name: [(m.matched_name, round(m.score, 2)) for m in matches]
            for name, matches in screener.screen_many(names, AS_OF).items() if matches}
    assert hits == {}


@pytest.mark.parametrize("name", ["SOPHGO TECHNOLOGIES LTD.", "Sophgo Technologies Pte. Ltd"])
def test_sophgo_spellings_match_their_entity_list_entries(screener: Screener, name: str) -> None:
    top = [m for m in screener.screen(name, AS_OF) if m.score == 1.0]
    assert {m.matched_name for m in top} == {"Sophgo Technologies Ltd.", "Sophgo Technologies Pte. Ltd."}
    assert all(m.list_name.startswith("Entity List") and "2025-00480" in m.source for m in top)
