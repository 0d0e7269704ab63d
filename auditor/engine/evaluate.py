"""The pure evaluation core: (table, rules, reference data, as-of) -> finding groups.

No file or network I/O and no clock here: time comes in as `as_of`, reference data as
`refdata`. A rule that raises at run time does not stop the audit; it is reported so that
the audit is marked INCOMPLETE (exit 3) instead of silently looking clean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

import numpy as np

from auditor.engine import checks
from auditor.engine.checks.base import EvalContext
from auditor.model import FindingGroup, InventoryTable, Rule, Severity


@dataclass
class Evaluation:
    groups: list[FindingGroup]
    summary: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # rules that failed at run time
    not_in_force: list[str] = field(default_factory=list)


def scope_rows(rule: Rule, table: InventoryTable, as_of: date) -> np.ndarray:
    """Row indices inside the rule's [scope] (all rows when it has none)."""
    if rule.scope is None:
        return np.arange(len(table), dtype=np.int64)
    return np.flatnonzero(rule.scope.mask(table, as_of))


def evaluate_rule(rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
    check = checks.get(rule.check_kind)
    groups = check.evaluate(rule, table, ctx)
    if rule.confidence == "U":
        # A rule resting on uncertain facts never raises above info, whatever a check decides
        # per group (e.g. a list's severity).
        for g in groups:
            g.severity = Severity.INFO
    if rule.scope is not None and groups:
        in_scope = rule.scope.mask(table, ctx.as_of)
        kept = []
        for g in groups:
            rows = g.rows[in_scope[g.rows]]
            if len(rows):
                g.rows = rows
                kept.append(g)
        groups = kept
    return groups


def evaluate(table: InventoryTable, rules: Sequence[Rule], refdata: Any, as_of: date) -> Evaluation:
    ctx = EvalContext(as_of=as_of, refdata=refdata)
    result = Evaluation(groups=[], summary=ctx.summary)
    for rule in rules:
        if not rule.in_force(as_of):
            result.not_in_force.append(rule.id)
            continue
        try:
            result.groups.extend(evaluate_rule(rule, table, ctx))
        except Exception as exc:  # a broken rule must not look like a clean fleet
            result.errors.append(f"rule {rule.id} failed at run time: {type(exc).__name__}: {exc}")
    return result
