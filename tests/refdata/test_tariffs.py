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


# Every boundary day of every programme: tests/refdata/test_law_timeline.py (through the CLI).


def test_hts_prefix_matching(schedule):
    # Section 301 List 2 covers 8543.70.99 (any statistical suffix); unformatted digits match too.
    assert total(schedule, "CN", "2025-06-18", "8543709960") == D("0.576")
    st = stack(schedule, "CN", "8543.70.9900", date(2026, 11, 26))
    assert [c.programme for c in st.components] == ["Section 301"]
    assert not st.has_general_rate  # the MFN record is for 8543.70.9960 only
    assert "no general (MFN) rate" in st.incomplete
    # 8543.70.10 is not in the List 2 annex.
    assert stack(schedule, "CN", "8543.70.1000", date(2026, 11, 26)).components == ()


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


def write(tmp_path, body):
    p = tmp_path / "t.toml"
    p.write_text(body, encoding="utf-8")
    return p


RECIP = """
[[tariff]]
id = "{id}"
programme = "IEEPA reciprocal"
{origin}
hts = ["*"]
percent = {pct}
from = 2025-04-09
until = 2025-04-10
confidence = "R"
source = "test"
"""


def test_a_country_rate_beside_an_every_origin_rate_is_refused(tmp_path):
    """Summing the baseline and a country rate for the same day would count the programme twice."""
    from auditor.refdata._records import RefDataError

    body = RECIP.format(id="BASE", origin='origin = "*"', pct=10) + RECIP.format(id="MY", origin='origin = "MY"', pct=24)
    with pytest.raises(RefDataError, match="'MY' overlaps 'BASE'.*origin MY"):
        load_tariffs(write(tmp_path, body))
    body = RECIP.format(id="BASE", origin='origin = "*"\nexcept = ["MY"]', pct=10) + RECIP.format(
        id="MY", origin='origin = ["MY", "TH"]', pct=24)
    with pytest.raises(RefDataError, match="origin TH"):
        load_tariffs(write(tmp_path, body))
    body = RECIP.format(id="BASE", origin='origin = "*"\nexcept = ["MY", "TH"]', pct=10) + RECIP.format(
        id="MY", origin='origin = ["MY", "TH"]', pct=24)
    sched, _ = load_tariffs(write(tmp_path, body))
    assert total(sched, "TH", "2025-04-09") == D("0.24") and total(sched, "FR", "2025-04-09") == D("0.10")


def test_except_needs_every_origin(tmp_path):
    from auditor.refdata._records import RefDataError

    with pytest.raises(RefDataError, match=r"t.toml:6: 'except' is only allowed"):
        load_tariffs(write(tmp_path, RECIP.format(id="X", origin='origin = "MY"\nexcept = ["TH"]', pct=1)))
    with pytest.raises(RefDataError, match=r"'origin' has 'XX'"):
        load_tariffs(write(tmp_path, RECIP.format(id="X", origin='origin = ["MY", "XX"]', pct=1)))
