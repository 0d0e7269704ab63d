"""The Affiliates (50%) rule: severity follows the rule's dated status and the owner's list."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.engine.checks.base import EvalContext
from auditor.engine.evaluate import evaluate_rule
from auditor.engine.loader import load_rule
from auditor.inventory.table import table_from_rows
from auditor.model import Severity
from auditor.refdata.loader import selftest_refdata
from tests.conftest import REPO

RULE = load_rule(REPO / "rules" / "entity" / "ENT-002.toml")
ROWS = [{"serial": "S1", "model": "Antminer S21", "supplier": "Example Hashboard Assembly Ltd."},
        {"serial": "S2", "model": "Antminer S21", "supplier": "Example Minority Partner Ltd."}]


@pytest.mark.parametrize("as_of,severity,status", [
    (date(2025, 9, 28), None, None),                               # not yet effective
    (date(2025, 9, 29), Severity.HIGH, "in_force"),                # IFR effective (P)
    (date(2025, 11, 9), Severity.HIGH, "in_force"),
    (date(2025, 11, 10), Severity.INFO, "suspended"),              # suspension: a note only
    (date(2026, 11, 9), Severity.INFO, "suspended"),
    (date(2026, 11, 10), Severity.HIGH, "in_force"),               # in force again: the owner's list (EL) → high
    (date(2026, 12, 1), Severity.HIGH, "in_force"),
])
def test_severity_follows_the_dated_status(as_of, severity, status):
    groups = evaluate_rule(RULE, table_from_rows(ROWS), EvalContext(as_of=as_of, refdata=selftest_refdata()))
    if severity is None:
        assert groups == []
        return
    (g,) = groups  # the 20% holding stays below the threshold
    assert list(g.rows) == [0]
    assert g.effective_severity == severity
    assert g.evidence["rule_status"] == status
    assert g.evidence["aggregate_share_percent"] == 60
    assert g.evidence["ownership_chains"] == [
        "Sophgo Technologies Ltd. (listed) —60%→ Example Hashboard Assembly Ltd."]



def test_in_force_again_says_no_extension_was_found_as_of_the_research_date():
    (g,) = evaluate_rule(RULE, table_from_rows(ROWS), EvalContext(as_of=date(2026, 12, 1), refdata=selftest_refdata()))
    assert "in force" in g.message and "no extension of the suspension was found as of the research date, 2026-12-01" in g.message
    assert g.evidence["owner_lists"] == ["Entity List (EL) - Bureau of Industry and Security"]
    assert "Severity high" in g.message and "Entity List" in g.evidence["severity_basis"]


def test_sdn_owner_makes_the_affiliate_critical():
    rows = [{"serial": "S9", "model": "Antminer S19", "supplier": "Example Hosting Services LLC"}]
    (g,) = evaluate_rule(RULE, table_from_rows(rows), EvalContext(as_of=date(2026, 12, 1), refdata=selftest_refdata()))
    assert g.effective_severity == Severity.CRITICAL
    assert g.evidence["owner_lists"] == ["Specially Designated Nationals (SDN) - Treasury Department"]
    assert "744.8" in g.evidence["sdn_scope"]
    assert g.evidence["ownership_chains"] == ["BITRIVER RUS (listed) —51%→ Example Hosting Services LLC"]
