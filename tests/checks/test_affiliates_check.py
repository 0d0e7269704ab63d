"""The Affiliates (50%) rule: severity follows the rule's dated status (FACTS.md)."""

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
    (date(2025, 11, 10), Severity.INFO, "suspended"),              # suspension (R)
    (date(2026, 11, 9), Severity.INFO, "suspended"),
    (date(2026, 11, 10), Severity.INFO, "revived_unconfirmed"),    # revival unconfirmed (U): never above info
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
