"""Server-side SVG charts: accessible, labelled, proportional, and tariff data only when present."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from auditor.formats import charts
from auditor.model import TariffExposure, TariffOrigin

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def texts(root) -> list[str]:
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_severity_chart_is_accessible_and_labelled():
    root = parse(charts.severity_chart({"critical": 0, "high": 2, "medium": 33, "low": 2, "info": 1}))
    assert root.get("role") == "img"
    title, desc = root.find("s:title", NS), root.find("s:desc", NS)
    assert title.text == "Findings by severity"
    assert desc.text == "Findings by severity: Critical: 0; High: 2; Medium: 33; Low: 2; Info: 1."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # Every bar names its category and value in text: colour is not the only carrier.
    assert texts(root) == ["Critical", "0", "High", "2", "Medium", "33", "Low", "2", "Info", "1"]
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    span = charts.WIDTH - charts.LABEL_W - charts.VALUE_W
    assert widths == [0.0, round(span * 2 / 33, 1), float(span), round(span * 2 / 33, 1), round(span / 33, 1)]


def test_rule_chart_orders_by_count_and_folds_the_tail():
    by_rule = {f"R-{i:02d}": i for i in range(1, 25)}  # 24 rules with 1..24 findings
    root = parse(charts.rule_chart(by_rule, [], limit=20))
    labels = texts(root)[0::2]
    assert labels[0] == "R-24" and labels[19] == "R-05"
    assert labels[20] == "4 other rules" and texts(root)[41] == "10"  # 1+2+3+4


def test_chart_text_is_escaped():
    svg = str(charts.bar_chart("c", "T <x>", [charts.Bar("<script>alert(1)</script>", 1, "1")], "things"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    parse(svg)


def test_tariff_chart_only_with_tariff_data():
    assert charts.tariff_rows(None) == [] and charts.tariff_chart([], "2026-11-26") is None

    def origin(code, rigs, duty, duty_as_of):
        return TariffOrigin(code, rigs, rigs, 0, Decimal(0), Decimal(duty), Decimal(duty_as_of), (), (), ())

    tariff = TariffExposure(as_of=date(2026, 11, 26), exposure_usd=Decimal("1700"), exposure_as_of_usd=Decimal("2880"),
                            declared_value_usd=Decimal(0),
                            by_origin=(origin("CN", 4, "1500.00", "2500.00"), origin("MY", 2, "200.00", "380.00")),
                            components={}, not_estimated={}, rigs_date_assumed=0, notes=(), note="")
    rows = charts.tariff_rows(tariff)
    assert [(r["origin"], r["rigs"], r["duty_at_import_text"], r["duty_as_of_text"]) for r in rows] == [
        ("CN", 4, "USD 1,500", "USD 2,500"), ("MY", 2, "USD 200", "USD 380")]
    root = parse(charts.tariff_chart(rows, "2026-11-26"))
    assert "USD 1,500 at import" in texts(root) and "USD 2,500 as-of rates" in texts(root)


def test_rule_chart_gives_a_rule_the_severity_its_findings_were_raised_at():
    # A new user's report labelled the screening rule "(high)", its own severity, beside
    # critical findings (a match on the SDN list is critical by the list's legal effect).
    from pathlib import Path

    from auditor.engine.loader import load_rule
    from auditor.model import Severity

    rule = load_rule(Path(__file__).resolve().parents[2] / "rules" / "entity" / "ENT-001.toml")
    assert rule.severity == Severity.HIGH
    as_raised = " ".join(texts(parse(charts.rule_chart({rule.id: 3}, [rule], found={rule.id: Severity.CRITICAL}))))
    assert "critical" in as_raised and "high" not in as_raised
    # Raised at several severities, it says how many at each (a tryout read "ENT-001
    # (critical): 4" as four critical findings; one was).
    mixed = " ".join(texts(parse(charts.rule_chart({rule.id: 4}, [rule], found={rule.id: Severity.CRITICAL},
                                                   found_by_severity={rule.id: {"critical": 1, "high": 3}}))))
    assert "ENT-001 (1 critical, 3 high)" in mixed
    assert "high" in " ".join(texts(parse(charts.rule_chart({rule.id: 3}, [rule]))))
