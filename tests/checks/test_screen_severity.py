"""ENT-001: severity by the legal effect of the list, and one finding per rig and field."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.engine.checks.base import EvalContext
from auditor.engine.evaluate import evaluate_rule
from auditor.engine.loader import load_rule
from auditor.inventory.table import table_from_rows
from auditor.model import Severity
from auditor.refdata import RefData
from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.effects import legal_effect, list_severity
from auditor.refdata.loader import selftest_refdata
from auditor.screening import Screener
from tests.conftest import REPO

RULE = load_rule(REPO / "rules" / "entity" / "ENT-001.toml")
AS_OF = date(2026, 12, 1)

# Section names exactly as the importers and the CSL write them.
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
SDN_ALT = "Specially Designated Nationals (SDN) alternate names (alt.csv) - Treasury Department"
EL = "Entity List (EL) - Bureau of Industry and Security"
MEU = "Military End User (MEU) List - Bureau of Industry and Security"
DPL = "Denied Persons List (DPL) - Bureau of Industry and Security"
H1260 = "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense"
FCC = "FCC Covered List (FCC) - Federal Communications Commission"


@pytest.mark.parametrize("section,severity", [
    (SDN, Severity.CRITICAL), (SDN_ALT, Severity.CRITICAL),
    (EL, Severity.HIGH), (MEU, Severity.HIGH), (DPL, Severity.HIGH),
    (H1260, Severity.MEDIUM), (FCC, Severity.LOW),
    ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", Severity.MEDIUM),
    ("Unverified List (UVL) - Bureau of Industry and Security", Severity.MEDIUM),
    ("Capta List (CAP) - Treasury Department", Severity.MEDIUM),
    ("Foreign Sanctions Evaders (FSE) - Treasury Department", Severity.CRITICAL),
    ("Palestinian Legislative Council List (PLC) - Treasury Department", Severity.LOW),
    # A list we do not know: conservatively the most severe, and the finding says why.
    ("Some Future List - Department of Something", Severity.CRITICAL),
])
def test_severity_by_legal_effect(section, severity):
    sev, why = list_severity(section)
    assert sev == severity and why


def screen(rows, entries=None, as_of=AS_OF):
    ref = selftest_refdata() if entries is None else RefData(screener=Screener(entries))
    return evaluate_rule(RULE, table_from_rows(rows), EvalContext(as_of=as_of, refdata=ref))


def test_sdn_match_of_an_inventory_name_is_critical():
    (g,) = screen([{"serial": "R1", "supplier": "BitRiver-North LLC"}])
    assert g.effective_severity == Severity.CRITICAL
    assert "Severity critical" in g.message and "dealings are prohibited" in g.message
    assert g.evidence["severity"] == "critical"


def test_one_party_on_several_lists_is_one_finding_per_rig_and_field_with_every_entry():
    def entry(section, eid):
        return ListEntry(section, eid, "Acme Hashing Co., Ltd.", source=f"source {eid}", legal_effect=legal_effect(section))

    entries = [entry(FCC, "f1"), entry(EL, "e1"), entry(H1260, "h1"), entry(SDN, "s1")]
    rows = [{"serial": "A", "supplier": "Acme Hashing Co., Ltd.", "manufacturer": "Acme Hashing Co., Ltd."},
            {"serial": "B", "supplier": "Acme Hashing Co., Ltd."}]
    groups = screen(rows, entries)
    # Two fields carry the name: one finding per field, never one per entry.
    assert sorted((g.evidence["field"], tuple(g.rows)) for g in groups) == [("manufacturer", (0,)), ("supplier", (0, 1))]
    g = next(g for g in groups if g.evidence["field"] == "supplier")
    assert g.effective_severity == Severity.CRITICAL  # the SDN entry sets it
    assert g.evidence["list"] == SDN and "and 3 more listed entries" in g.message
    assert [(e["list"], e["severity"]) for e in g.evidence["entries"]] == [
        (SDN, "critical"), (EL, "high"), (H1260, "medium"), (FCC, "low")]
    assert [e["source"] for e in g.evidence["entries"]] == ["source s1", "source e1", "source h1", "source f1"]


def test_sophgo_supplier_is_one_high_finding_per_rig():
    rows = [{"serial": f"S{i}", "supplier": "Sophgo"} for i in range(3)]
    groups = screen(rows)
    assert len(groups) == 1 and list(groups[0].rows) == [0, 1, 2]
    g = groups[0]
    assert g.effective_severity == Severity.HIGH
    assert all(e["list"] == EL for e in g.evidence["entries"]) and len(g.evidence["entries"]) >= 2


def test_1260h_match_is_medium_and_fcc_low():
    h = ListEntry(H1260, "h", "Example Military Co", legal_effect=legal_effect(H1260))
    f = ListEntry(FCC, "f", "Example Camera Co", legal_effect=legal_effect(FCC))
    groups = screen([{"serial": "1", "supplier": "Example Military Co"}, {"serial": "2", "supplier": "Example Camera Co"}],
                    [h, f])
    sev = {g.evidence["value"]: g.effective_severity for g in groups}
    assert sev == {"Example Military Co": Severity.MEDIUM, "Example Camera Co": Severity.LOW}
