"""The tariff check on small fleets: per-rig stacks, duties and fleet totals (hand-computed)."""

from datetime import date
from decimal import Decimal

import pytest

from auditor.engine.checks.base import RuleError, Where
from auditor.engine.checks.tariff import CHECK
from auditor.inventory.table import table_from_rows
from auditor.refdata import RefData

from refcheck_helpers import bundled, ctx, make_rule  # noqa: F401  (bundled is a fixture)

D = Decimal
MSG = "{rate} at import {date} ({programmes}); {rate_as_of} on {as_of}; {estimate}"


def rule(**spec):
    return make_rule(CHECK, spec or {"summary": True}, message=MSG, severity="info", kind="tariff")


FLEET = [
    # serial, origin, hts, import date, declared value
    dict(serial="A1", assembly_country="CN", hts_code="8543.70.9960", import_date=date(2025, 6, 18), declared_value_usd=D("3150")),
    dict(serial="A2", assembly_country="CN", hts_code="8543.70.9960", import_date=date(2025, 6, 18), declared_value_usd=D("3150")),
    dict(serial="A3", assembly_country="CN", hts_code=None, import_date=date(2025, 6, 18), declared_value_usd=D("1000")),
    dict(serial="B1", assembly_country="MY", hts_code="8543.70.9960", import_date=date(2025, 9, 1), declared_value_usd=D("2500")),
    dict(serial="C1", assembly_country="CN", hts_code="8543.70.9960", import_date=None, declared_value_usd=D("100")),
    dict(serial="D1", assembly_country=None, import_date=date(2025, 9, 1), declared_value_usd=D("100")),
    dict(serial="E1", assembly_country="US", import_date=date(2025, 9, 1), declared_value_usd=D("100")),
    dict(serial="F1", assembly_country="MY", import_date=date(2025, 9, 1)),
]


def test_fleet_totals(bundled):
    table = table_from_rows(FLEET)
    c = ctx(bundled, "2026-11-26")
    groups = CHECK.evaluate(rule(), table, c)
    s = c.summary
    # At import: A1, A2 3150 × 57.6% = 1814.40 each; A3 1000 × 57.6% = 576.00;
    # B1 2500 × 21.6% = 540.00; C1 (no import date → audit date 2026-11-26) 100 × 27.6% = 27.60.
    assert s["tariff_exposure_usd"] == "4772.40"
    # As of 2026-11-26: CN 27.6% on 3150+3150+1000+100 = 2042.40; MY 2.6% on 2500 = 65.00.
    assert s["tariff_exposure_as_of_usd"] == "2107.40"
    assert s["tariff_not_estimated"] == {"origin_missing": 1, "no_rates": 0, "value_missing": 1, "us_origin": 1}
    by = {(e["origin"], e["hts"]): e for e in s["tariff_by_origin"]}
    cn = by[("CN", "8543.70.9960")]
    assert cn["rigs"] == 4 and cn["declared_value_usd"] == "7400.00" and cn["duty_at_import_usd"] == "4232.40"
    assert cn["rates_at_import"] == [{"rate": 0.276, "rigs": 1}, {"rate": 0.576, "rigs": 3}]
    assert cn["rate_as_of"] == 0.276 and cn["duty_as_of_usd"] == "2042.40"
    my = by[("MY", "8543.70.9960")]
    assert my["rigs"] == 2 and my["rigs_valued"] == 1 and my["duty_at_import_usd"] == "540.00" and my["rate_as_of"] == 0.026
    assert "licensed customs broker" in s["tariff_note"]
    # Each component cited on a rig's finding is cited once in the summary, with its source.
    comps = s["tariff_components"]
    assert set(comps) == {"MFN-8543.70.9960", "S301-CN-8543.70.99-LIST2", "IEEPA-FENT-CN-HK-20",
                          "IEEPA-RECIP-CN-HK-MO-10B", "IEEPA-RECIP-MY-19"}
    assert "EO 14195" in comps["IEEPA-FENT-CN-HK-20"]["source"] and comps["IEEPA-FENT-CN-HK-20"]["rate"] == 0.2
    # Every rig but the US-origin one gets a finding; the origin-less one says why no estimate.
    flagged = sorted(int(r) for g in groups for r in g.rows)
    assert flagged == [0, 1, 2, 3, 4, 5, 7]
    missing = next(g for g in groups if 5 in g.rows)
    assert "not estimated" in missing.message and "assembly_country" in missing.message


def test_per_rig_stack_and_duty(bundled):
    table = table_from_rows(FLEET)
    groups = CHECK.evaluate(rule(), table, ctx(bundled, "2026-11-26"))
    g = next(g for g in groups if 0 in g.rows)
    assert list(g.rows) == [0, 1]
    assert g.message.startswith("57.6% at import 2025-06-18 (MFN 2.6% + Section 301 25% + IEEPA fentanyl 20% + IEEPA reciprocal 10%); 27.6% on 2026-11-26")
    assert "licensed customs broker" in g.message
    assert [c["programme"] for c in g.evidence["components"]] == ["MFN", "Section 301", "IEEPA fentanyl", "IEEPA reciprocal"]
    assert g.evidence["total_rate"] == 0.576 and g.evidence["date_basis"] == "import_date"
    assert "134.1(b)" in g.evidence["origin_basis"]
    assert g.row_evidence[0] == {
        "declared_value_usd": "3150.00",
        "duty_usd": "1814.40",
        "duty_by_programme": {"MFN": "81.90", "Section 301": "787.50", "IEEPA fentanyl": "630.00", "IEEPA reciprocal": "315.00"},
        "duty_as_of_usd": "869.40",
    }
    assumed = next(g for g in groups if 2 in g.rows)
    assert "N297495" in assumed.evidence["hts_assumed"]
    no_date = next(g for g in groups if 4 in g.rows)
    assert no_date.evidence["date"] == "2026-11-26" and "import_date missing" in no_date.evidence["date_basis"]
    no_value = next(g for g in groups if 7 in g.rows)
    assert no_value.row_evidence[7]["duty_usd"] is None


def test_programme_filter_and_boundary(bundled):
    ieepa = make_rule(CHECK, {"programmes": ["IEEPA fentanyl", "IEEPA reciprocal"]}, message=MSG, severity="info", kind="tariff")
    rows = [dict(serial=str(i), assembly_country="CN", import_date=d) for i, d in
            enumerate([date(2025, 2, 3), date(2025, 2, 4), date(2026, 2, 23), date(2026, 2, 24)])]
    c = ctx(bundled, "2026-11-26")
    groups = CHECK.evaluate(ieepa, table_from_rows(rows), c)
    assert sorted(int(r) for g in groups for r in g.rows) == [1, 2]
    assert c.summary == {}  # only the summary rule writes fleet totals


def test_value_falls_back_to_unit_price_times_quantity(bundled):
    rows = [dict(serial="P1", assembly_country="MY", import_date=date(2025, 9, 1), unit_price_usd=D("1000"), quantity=3)]
    c = ctx(bundled, "2026-11-26")
    [g] = CHECK.evaluate(rule(), table_from_rows(rows), c)
    assert g.row_evidence[0]["declared_value_usd"] == "3000.00" and g.row_evidence[0]["duty_usd"] == "648.00"
    assert "unit_price_usd" in g.row_evidence[0]["value_basis"]


def test_deterministic_summary(bundled):
    table = table_from_rows(FLEET)
    runs = []
    for _ in range(2):
        c = ctx(bundled, "2026-11-26")
        CHECK.evaluate(rule(), table, c)
        runs.append(c.summary)
    assert runs[0] == runs[1]


def test_no_schedule_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="no tariff schedule"):
        CHECK.evaluate(rule(), table_from_rows(FLEET), ctx(RefData(), "2026-11-26"))


def test_config_validation():
    with pytest.raises(RuleError, match="unknown key 'rate'"):
        CHECK.parse({"rate": 1}, Where("r.toml", "[tariff]\nrate = 1\n"))
    with pytest.raises(RuleError, match="do not combine"):
        CHECK.parse({"summary": True, "programmes": ["MFN"]}, Where("r.toml", ""))
