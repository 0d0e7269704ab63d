"""Running the `[[tests]]` of each rule through the real input validation and evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Mapping

from auditor.engine.checks.base import EvalContext
from auditor.engine.evaluate import evaluate_rule, scope_rows
from auditor.inventory.fields import FieldError, parse_field
from auditor.inventory.table import table_from_rows
from auditor.model import Rule, RuleTest

if TYPE_CHECKING:
    from auditor.refdata import RefData


@dataclass(frozen=True)
class TestOutcome:
    rule_id: str
    test: RuleTest
    actual: str  # fail | pass | not_applicable | error
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.actual == self.test.expect


def _row(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Test rows go through the same field validation as CSV cells."""
    out = {}
    for col, value in raw.items():
        text = value.isoformat() if isinstance(value, date) else str(value)
        out[col] = parse_field(col, text)
    return out


def run_test(rule: Rule, test: RuleTest, refdata: RefData, default_as_of: date) -> TestOutcome:
    as_of = test.as_of or default_as_of
    try:
        table = table_from_rows([_row(r) for r in test.rows], source=f"{rule.id}:test")
    except FieldError as exc:
        return TestOutcome(rule.id, test, "error", f"invalid test row: {exc}")
    if not rule.in_force(as_of):
        return TestOutcome(rule.id, test, "not_applicable", f"rule not in force on {as_of}")
    if rule.scope is not None and len(scope_rows(rule, table, as_of)) == 0:
        return TestOutcome(rule.id, test, "not_applicable", "rows outside the rule's scope")
    if test.devices:
        from dataclasses import replace

        from auditor.devices.corroborate import DeviceRecord, observe
        from auditor.devices.snapshot import test_record

        records = [DeviceRecord(n, test_record(dict(d))) for n, d in enumerate(test.devices, 1)]
        table, observed = observe(table, f"{rule.id}:devices", records)
        refdata = replace(refdata, devices=observed) if refdata is not None else None
    ctx = EvalContext(as_of=as_of, refdata=refdata)
    try:
        groups = evaluate_rule(rule, table, ctx)
    except Exception as exc:
        return TestOutcome(rule.id, test, "error", f"{type(exc).__name__}: {exc}")
    if groups:
        return TestOutcome(rule.id, test, "fail", groups[0].message)
    return TestOutcome(rule.id, test, "pass")


def run_all(rules: list[Rule], refdata: RefData, default_as_of: date) -> list[TestOutcome]:
    return [run_test(rule, t, refdata, default_as_of) for rule in rules for t in rule.tests]
