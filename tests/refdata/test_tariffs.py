"""The bundled tariff schedule against totals computed by hand from ../shared/FACTS.md."""

from datetime import date
from decimal import Decimal

import pytest

from auditor.refdata.tariffs import load_tariffs, stack

D = Decimal
MINER = "8543.70.9960"


@pytest.fixture(scope="module")
def schedule():
    sched, source = load_tariffs()
    assert source["path"] == "auditor/refdata/data/tariffs.toml"
    assert len(source["sha256"]) == 64
    return sched


def total(schedule, origin, on, hts=MINER):
    return stack(schedule, origin, hts, date.fromisoformat(on)).total_rate


def test_issue_totals(schedule):
    # FACTS.md: 2.6% + 25% + 20% + 10% = 57.6% on 2025-06-18; 2.6% + 25% after Section 122 ended.
    assert total(schedule, "CN", "2025-06-18") == D("0.576")
    assert total(schedule, "CN", "2026-11-26") == D("0.276")
    # Malaysia: MFN 2.6% + reciprocal 19%.
    assert total(schedule, "MY", "2025-09-01") == D("0.216")


def test_every_component_is_cited(schedule):
    st = stack(schedule, "CN", MINER, date(2025, 6, 18))
    assert [c.programme for c in st.components] == ["MFN", "Section 301", "IEEPA fentanyl", "IEEPA reciprocal"]
    assert [c.rate for c in st.components] == [D("0.026"), D("0.25"), D("0.20"), D("0.10")]
    for c in st.components:
        assert c.source and c.confidence in ("P", "R")
    assert st.components[0].confidence == "P" and "N297495" in st.components[0].source


@pytest.mark.parametrize(
    "origin,on,expected",
    [
        # Section 301 List 3: 10% from 2018-09-24, 25% from 2019-05-10.
        ("CN", "2018-09-23", "0.026"),
        ("CN", "2018-09-24", "0.126"),
        ("CN", "2019-05-09", "0.126"),
        ("CN", "2019-05-10", "0.276"),
        # IEEPA fentanyl: 10% from 2025-02-04, 20% from 2025-03-04, 10% from 2025-11-10.
        ("CN", "2025-02-03", "0.276"),
        ("CN", "2025-02-04", "0.376"),
        ("CN", "2025-03-03", "0.376"),
        ("CN", "2025-03-04", "0.476"),
        # IEEPA reciprocal China: 10% from 2025-04-05, 125% from 2025-04-10, 10% from 2025-05-14.
        ("CN", "2025-04-04", "0.476"),
        ("CN", "2025-04-05", "0.576"),
        ("CN", "2025-04-09", "0.576"),
        ("CN", "2025-04-10", "1.726"),
        ("CN", "2025-05-13", "1.726"),
        ("CN", "2025-05-14", "0.576"),
        ("CN", "2025-11-09", "0.576"),
        ("CN", "2025-11-10", "0.476"),
        # IEEPA collection ended 2026-02-24; Section 122 10% 2026-02-24 to 2026-07-24 (exclusive).
        ("CN", "2026-02-23", "0.476"),
        ("CN", "2026-02-24", "0.376"),
        ("CN", "2026-07-23", "0.376"),
        ("CN", "2026-07-24", "0.276"),
        # Assembly countries: reciprocal from 2025-08-07.
        ("MY", "2025-08-06", "0.026"),
        ("MY", "2025-08-07", "0.216"),
        ("MY", "2026-02-23", "0.216"),
        ("MY", "2026-02-24", "0.126"),
        ("MY", "2026-07-24", "0.026"),
        ("ID", "2025-09-01", "0.216"),
        ("TH", "2025-09-01", "0.216"),
        ("KH", "2025-09-01", "0.216"),
        ("PH", "2025-09-01", "0.216"),
        ("VN", "2025-09-01", "0.226"),
        ("SG", "2025-09-01", "0.126"),
    ],
)
def test_window_boundaries(schedule, origin, on, expected):
    assert total(schedule, origin, on) == D(expected)


def test_hts_prefix_matching(schedule):
    # Section 301 covers 8543.70 (any subheading); unformatted digits match too.
    assert total(schedule, "CN", "2025-06-18", "8543709960") == D("0.576")
    st = stack(schedule, "CN", "8543.70.1000", date(2026, 11, 26))
    assert [c.programme for c in st.components] == ["Section 301"]
    assert not st.has_general_rate  # the MFN record is for 8543.70.9960 only


def test_chips_entered_separately(schedule):
    st = stack(schedule, "CN", "8542.31", date(2025, 1, 1))
    assert [(c.programme, c.rate) for c in st.components] == [("Section 301", D("0.50"))]
    assert stack(schedule, "CN", "8542.31", date(2024, 12, 31)).components == ()


def test_duty_is_exact_and_rounded_to_cents(schedule):
    st = stack(schedule, "CN", MINER, date(2025, 6, 18))
    assert st.duty(D("3150")) == D("1814.40")
    assert st.duty(D("0.01")) == D("0.01")  # 0.00576 rounds half up to a cent
    assert st.duty(D("1234.56")) == D("711.11")  # 711.10656


def test_notes_are_shown_not_summed(schedule):
    st = stack(schedule, "CN", "8471.50", date(2026, 3, 1))
    ids = [n.id for n in st.notes]
    assert "NOTE-S232-SEMI" in ids and "NOTE-8471-BLOCKSTREAM" in ids
