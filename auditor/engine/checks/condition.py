"""`check = "condition"`: a declarative condition on each row ([match] table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.conditions import Condition, parse_condition
from auditor.engine.grouping import group_rows
from auditor.engine.render import json_value, render
from auditor.model import FindingGroup, InventoryTable, Rule


@dataclass(frozen=True)
class ConditionConfig:
    condition: Condition


class ConditionCheck:
    name = "condition"
    table = "match"
    kinds = frozenset({"entity", "origin", "tariff", "firmware", "data_quality"})
    message_vars: frozenset[str] = frozenset()

    def parse(self, spec: Any, where: Where) -> ConditionConfig:
        return ConditionConfig(parse_condition(spec, where, "match"))

    def fields(self, config: ConditionConfig) -> tuple[str, ...]:
        return tuple(sorted(config.condition.fields))

    def needs(self, config: ConditionConfig) -> tuple[frozenset[str], ...]:
        from auditor.engine.conditions import condition_needs

        return condition_needs(config.condition)

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cond = rule.check.condition
        failing = np.flatnonzero(cond.mask(table, ctx.as_of))
        # Only failing rows are grouped, by the columns the message and evidence show.
        columns = sorted(cond.fields | rule_placeholders(rule))
        groups = []
        for values, rows in group_rows(table, columns, failing):
            row = dict(zip(columns, values))
            evidence = {c: json_value(row[c]) for c in sorted(cond.fields)}
            groups.append(FindingGroup(rule, rows, render(rule.message, row), evidence))
        return groups


def rule_placeholders(rule: Rule) -> set[str]:
    from auditor.engine.render import placeholders
    from auditor.model import CANONICAL_COLUMNS

    return {p for p in placeholders(rule.message) if p in CANONICAL_COLUMNS}


CHECK = ConditionCheck()
