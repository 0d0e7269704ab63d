"""Origin-claim plausibility against the bundled facility registry (FACTS.md)."""

from datetime import date

import pytest
from refcheck_helpers import bundled, ctx, make_rule  # noqa: F401  (bundled is a fixture)

from auditor.engine.checks.base import RuleError, Where
from auditor.engine.checks.origin_claim import CHECK
from auditor.inventory.table import table_from_rows
from auditor.model import Severity

US = make_rule(CHECK, {"claim": "facility", "country": "US"},
               message="{registry_manufacturer} {model}: {reason}", severity="medium")
ST = make_rule(CHECK, {"claim": "transformation"}, message="{assembly_country}: {reason}", severity="info")


def run(refdata, rows, as_of="2025-11-26", rule=US):
    table = table_from_rows(rows)
    return {int(r): g for g in CHECK.evaluate(rule, table, ctx(refdata, as_of)) for r in g.rows}


def rig(**kw):
    return {"assembly_country": "US", **kw}


def test_canaan_before_pilot_line_is_medium(bundled):
    out = run(bundled, [rig(manufacturer="Canaan", model="Avalon A1466", manufacture_date=date(2025, 4, 2)),
                        rig(manufacturer="Canaan", model="Avalon A1466", manufacture_date=date(2025, 4, 3))])
    assert set(out) == {0}
    g = out[0]
    assert g.effective_severity == Severity.MEDIUM
    assert "before the first reported Canaan production in US (after 2025-04-02)" in g.message
    assert g.evidence["facts"][0]["id"] == "CANAAN-US-PILOT-2025"
    assert g.evidence["facts"][0]["confidence"] == "R"


def test_registry_is_point_in_time(bundled):
    row = [rig(manufacturer="Canaan", model="Avalon A1466", manufacture_date=date(2025, 5, 1))]
    before = run(bundled, row, as_of="2025-06-17")
    assert before[0].effective_severity == Severity.MEDIUM
    assert "no production by Canaan in US is reported as of 2025-06-17" in before[0].message
    assert run(bundled, row, as_of="2025-06-18") == {}


def test_bitmain_rests_on_uncertain_facts_info_only(bundled):
    # Bitmain's US dates conflict (U): never above info, even for a rig made years earlier.
    out = run(bundled, [rig(manufacturer="Bitmain", model="Antminer S19", manufacture_date=date(2022, 1, 1)),
                        rig(model="Antminer S21", manufacture_date=date(2025, 3, 1))])
    assert set(out) == {0, 1}
    for g in out.values():
        assert g.effective_severity == Severity.INFO
        assert "rests only on uncertain facts (the reports conflict)" in g.message
    assert "December 2024 — rig made before it" in out[0].message
    # The model's brand identifies the manufacturer when the column is empty.
    assert out[1].evidence["manufacturer"] == "Bitmain"
    assert "December 2024 — rig made on or after it" in out[1].message
    assert "about 2026-01-01 — rig made before it" in out[1].message


def test_microbt_no_site_is_medium_and_says_reported(bundled):
    out = run(bundled, [rig(manufacturer="MicroBT", model="Whatsminer M60S", manufacture_date=date(2025, 9, 1))])
    assert out[0].effective_severity == Severity.MEDIUM
    assert "no site confirmed" in out[0].message and "reported" in out[0].message


def test_auradine_us_company_is_info(bundled):
    out = run(bundled, [rig(manufacturer="Auradine", model="Teraflux AT2880", manufacture_date=date(2025, 1, 1))])
    assert out[0].effective_severity == Severity.INFO
    assert "not published" in out[0].message


def test_missing_manufacture_date_is_info(bundled):
    out = run(bundled, [rig(manufacturer="Canaan", model="Avalon A1466")])
    assert out[0].effective_severity == Severity.INFO and "manufacture date missing" in out[0].message


def test_unknown_manufacturer_and_other_countries_not_assessed(bundled):
    out = run(bundled, [rig(manufacturer="Example Miners", model="X1", manufacture_date=date(2020, 1, 1)),
                        {"assembly_country": "MY", "manufacturer": "Canaan", "manufacture_date": date(2020, 1, 1)},
                        {"manufacturer": "Canaan", "manufacture_date": date(2020, 1, 1)}])
    assert out == {}


def test_groups_on_distinct_values(bundled):
    rows = [rig(manufacturer="Canaan", model="Avalon A1466", manufacture_date=date(2025, 1, 1))] * 5
    table = table_from_rows(rows)
    groups = CHECK.evaluate(US, table, ctx(bundled, "2025-11-26"))
    assert len(groups) == 1 and list(groups[0].rows) == [0, 1, 2, 3, 4]


def test_substantial_transformation_note(bundled):
    out = run(bundled, [{"assembly_country": "MY", "chip_vendor": "TSMC"}, {"assembly_country": "CN"},
                        {"assembly_country": "HK"}, {"assembly_country": "US"}, {}], rule=ST)
    assert set(out) == {0, 3}
    assert out[0].message == "MY: chip and hashboard origin unknown"
    assert "N326483" in out[0].evidence["note"] and "134.1(b)" in out[0].evidence["note"]
    assert out[0].evidence["chip_vendor"] == "TSMC"
    assert out[0].effective_severity == Severity.INFO


def test_config_validation():
    w = Where("r.toml", "[origin_claim]\nclaim = \"facility\"\ncountry = \"usa\"\n")
    with pytest.raises(RuleError) as exc:
        CHECK.parse({"claim": "facility", "country": "usa"}, w)
    assert exc.value.line == 3
    with pytest.raises(RuleError, match="claim must be one of"):
        CHECK.parse({"claim": "origin"}, w)
    with pytest.raises(RuleError, match="unknown key 'site'"):
        CHECK.parse({"claim": "facility", "country": "US", "site": "x"}, w)
