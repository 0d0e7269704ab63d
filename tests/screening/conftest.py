"""Screening against the real shared lists: built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.refdata.curated import load_curated
from auditor.refdata.importers import IMPORTERS
from auditor.refdata.lists_source import merge_alternate_names
from auditor.screening import Screener
from tests.conftest import shared_lists

INDUSTRY = Path(__file__).resolve().parents[2] / "benchmarks" / "industry_names.txt"


@pytest.fixture(scope="session")
def screener() -> Screener:
    """Every entry of the shared lists, read by the product's importers, plus the curated list."""
    lists = shared_lists()
    csl = IMPORTERS["csl-csv"].parse(lists / "csl_2023-11_partial.csv").entries
    sdn = IMPORTERS["ofac-sdn"].parse(lists / "ofac_sdn_2019.csv").entries
    alternates = IMPORTERS["ofac-alt"].parse(lists / "ofac_alt_2025.csv").entries
    dod = IMPORTERS["dod-1260h"].parse(lists / "dod_1260h.csv").entries
    fcc = IMPORTERS["fcc-covered"].parse(lists / "fcc_covered_list.csv").entries
    merged, leftovers, _ = merge_alternate_names(sdn, alternates)
    curated, _ = load_curated()
    return Screener([*csl, *merged, *leftovers, *dod, *fcc, *curated])


def industry_names() -> list[str]:
    """ASIC makers, hosts, pools and chip vendors that must not match (benchmarks/industry_names.txt)."""
    lines = INDUSTRY.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
