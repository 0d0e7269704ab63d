"""The tariff check on small fleets: per-rig stacks, duties and fleet totals (hand-computed)."""

from datetime import date
from decimal import Decimal

import pytest
from refcheck_helpers import bundled, ctx, make_rule  # noqa: F401  (bundled is a fixture)

from auditor.engine.checks.base import RuleError, Where
from auditor.engine.checks.tariff import CHECK
from auditor.inventory.table import table_from_rows
from auditor.refdata import RefData

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
    assert groups == []  # estimates are figures, not findings
    t = c.tariff
    s = t.as_json()
    # At import: A1, A2 3150 × 57.6% = 1814.40 each; A3 1000 × 57.6% = 576.00;
    # B1 2500 × 21.6% = 540.00; C1 (no import date → audit date 2026-11-26) 100 × 27.6% = 27.60.
    assert t.summary_json()["tariff_exposure_usd"] == s["duty_at_import_usd"] == "4772.40"
    # As of 2026-11-26: CN 27.6% on 3150+3150+1000+100 = 2042.40; MY 2.6% on 2500 = 65.00.
    assert s["duty_as_of_usd"] == "2107.40"
    assert s["not_estimated"] == {"origin_missing": 1, "no_rates": 0, "value_missing": 1, "us_origin": 1}
    assert s["rigs_estimated"] == 6 and s["rigs_import_date_missing"] == 1
    assert "1 rig has no import date" in s["import_date_note"] and "2026-11-26" in s["import_date_note"]
    by = {e["origin"]: e for e in s["by_origin"]}
    assert [e["origin"] for e in s["by_origin"]] == ["CN", "MY"]  # largest duty first
    cn = by["CN"]
    assert cn["rigs"] == 4 and cn["declared_value_usd"] == "7400.00" and cn["duty_at_import_usd"] == "4232.40"
    assert cn["rates_at_import"] == [{"rate": 0.276, "rigs": 1}, {"rate": 0.576, "rigs": 3}]
    assert cn["rates_as_of"] == [0.276] and cn["duty_as_of_usd"] == "2042.40"
    # By programme: 2.6% and 25% on all 7400; IEEPA 20% and 10% on the 7300 imported 2025-06-18.
    assert [(p["programme"], p["rigs_at_import"], p["duty_at_import_usd"], p["rigs_as_of"], p["duty_as_of_usd"])
            for p in cn["programmes"]] == [
        ("MFN", 4, "192.40", 4, "192.40"),
        ("Section 301", 4, "1850.00", 4, "1850.00"),
        ("IEEPA fentanyl", 3, "1460.00", 0, "0.00"),
        ("IEEPA reciprocal", 3, "730.00", 0, "0.00"),
    ]
    my = by["MY"]
    assert my["rigs"] == 2 and my["rigs_valued"] == 1 and my["duty_at_import_usd"] == "540.00" and my["rates_as_of"] == [0.026]
    assert [(p["programme"], p["duty_at_import_usd"]) for p in my["programmes"]] == [("MFN", "65.00"), ("IEEPA reciprocal", "475.00")]
    assert "licensed customs broker" in s["note"]
    # Each component of an estimate is cited once, with its source.
    comps = s["components"]
    assert set(comps) == {"MFN-8543.70.9960", "S301-CN-8543.70.99-LIST2", "IEEPA-FENT-CN-HK-20",
                          "IEEPA-RECIP-CN-HK-MO-10B", "IEEPA-RECIP-MY-19"}
    assert "EO 14195" in comps["IEEPA-FENT-CN-HK-20"]["source"] and comps["IEEPA-FENT-CN-HK-20"]["rate"] == 0.2
    assert "NOTE-IEEPA-REFUND" in {n["id"] for n in s["notes"]}


def test_per_rig_records(bundled):
    c = ctx(bundled, "2026-11-26")
    CHECK.evaluate(rule(), table_from_rows(FLEET), c)
    t = c.tariff
    a1 = t.bases[t.rig_basis[0]]
    assert (a1.origin, a1.on, a1.date_assumed, a1.status) == ("CN", date(2025, 6, 18), False, "estimated")
    assert a1.programmes_text() == "MFN 2.6% + Section 301 25% + IEEPA fentanyl 20% + IEEPA reciprocal 10%"
    assert t.duties[t.rig_duty[0]].duty_at_import_usd == D("1814.40") and t.rig_duty[0] == t.rig_duty[1]
    assert t.bases[t.rig_basis[2]].hts_assumed
    c1 = t.bases[t.rig_basis[4]]
    assert c1.date_assumed and c1.on == date(2026, 11, 26) and c1.rate_at_import == c1.rate_as_of == D("0.276")
    assert t.bases[t.rig_basis[5]].status == "origin_missing" and t.rig_duty[5] == -1
    assert t.bases[t.rig_basis[6]].status == "us_origin"
    assert t.rig_duty[7] == -1  # no declared value


def test_attention_threshold(bundled):
    """Only rigs whose duty at import exceeds attention_usd get a finding."""
    c = ctx(bundled, "2026-11-26")
    [g] = CHECK.evaluate(rule(summary=True, attention_usd=1000), table_from_rows(FLEET), c)
    assert list(g.rows) == [0, 1] and g.evidence["attention_usd"] == "1000.00"
    assert c.tariff is not None
    assert CHECK.evaluate(rule(summary=True, attention_usd=1814.40), table_from_rows(FLEET), c) == []  # exceeds, strictly


def test_per_rig_stack_and_duty(bundled):
    table = table_from_rows(FLEET)
    groups = CHECK.evaluate(rule(summary=True, attention_usd=0), table, ctx(bundled, "2026-11-26"))
    assert sorted(int(r) for g in groups for r in g.rows) == [0, 1, 2, 3, 4]  # every valued, dutiable rig
    g = next(g for g in groups if 0 in g.rows)
    assert list(g.rows) == [0, 1]
    assert g.message.startswith("57.6% at import 2025-06-18 (MFN 2.6% + Section 301 25% + IEEPA fentanyl 20% "
                                "+ IEEPA reciprocal 10%); 27.6% on 2026-11-26")
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


def test_programme_filter_and_boundary(bundled):
    ieepa = make_rule(CHECK, {"programmes": ["IEEPA fentanyl", "IEEPA reciprocal"]}, message=MSG, severity="info", kind="tariff")
    rows = [dict(serial=str(i), assembly_country="CN", import_date=d) for i, d in
            enumerate([date(2025, 2, 3), date(2025, 2, 4), date(2026, 2, 23), date(2026, 2, 24)])]
    c = ctx(bundled, "2026-11-26")
    groups = CHECK.evaluate(ieepa, table_from_rows(rows), c)
    assert sorted(int(r) for g in groups for r in g.rows) == [1, 2]
    assert c.tariff is None  # only the summary rule writes fleet totals


def test_value_falls_back_to_unit_price_times_quantity(bundled):
    rows = [dict(serial="P1", assembly_country="MY", import_date=date(2025, 9, 1), unit_price_usd=D("1000"), quantity=3)]
    c = ctx(bundled, "2026-11-26")
    [g] = CHECK.evaluate(rule(summary=True, attention_usd=0), table_from_rows(rows), c)
    assert g.row_evidence[0]["declared_value_usd"] == "3000.00" and g.row_evidence[0]["duty_usd"] == "648.00"
    assert "unit_price_usd" in g.row_evidence[0]["value_basis"]
    assert c.tariff.duties[0].value_basis.startswith("unit_price_usd")


def test_deterministic_summary(bundled):
    table = table_from_rows(FLEET)
    runs = []
    for _ in range(2):
        c = ctx(bundled, "2026-11-26")
        CHECK.evaluate(rule(), table, c)
        runs.append(c.tariff.as_json())
    assert runs[0] == runs[1]


def test_no_schedule_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="no tariff schedule"):
        CHECK.evaluate(rule(), table_from_rows(FLEET), ctx(RefData(), "2026-11-26"))


def test_config_validation():
    with pytest.raises(RuleError, match="unknown key 'rate'"):
        CHECK.parse({"rate": 1}, Where("r.toml", "[tariff]\nrate = 1\n"))
    with pytest.raises(RuleError, match="do not combine"):
        CHECK.parse({"summary": True, "programmes": ["MFN"]}, Where("r.toml", ""))
    with pytest.raises(RuleError, match="needs summary = true"):
        CHECK.parse({"attention_usd": 10}, Where("r.toml", ""))
    for bad in ("lots", -1, True):
        with pytest.raises(RuleError, match="attention_usd must be an amount"):
            CHECK.parse({"summary": True, "attention_usd": bad}, Where("r.toml", ""))


def test_an_audit_shows_only_the_rulings_known_on_its_date(bundled):
    """The Section 122 ruling of 2026-05-07 and the IEEPA refund order of 2026-03-04 are notes on
    the estimate only for audits dated on or after them."""
    rows = [dict(serial="S", assembly_country="CN", hts_code="8543.70.9960", import_date=date(2026, 3, 2)),
            dict(serial="I", assembly_country="CN", hts_code="8543.70.9960", import_date=date(2025, 6, 18))]

    def notes(as_of, serial):
        c = ctx(bundled, as_of)
        CHECK.evaluate(rule(), table_from_rows([r for r in rows if r["serial"] == serial]), c)
        return {i for i, _text in c.tariff.notes}

    assert "NOTE-S122-CIT" not in notes("2026-05-06", "S")
    assert "NOTE-S122-CIT" in notes("2026-05-07", "S")
    assert "NOTE-IEEPA-REFUND" not in notes("2026-03-03", "I")
    assert {"NOTE-IEEPA-REFUND", "NOTE-IEEPA-STRUCK-DOWN"} <= notes("2026-03-04", "I")
