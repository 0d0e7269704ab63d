"""The pure evaluation core: (table, rules, reference data, as-of) -> finding groups.

No file or network I/O and no clock here: time comes in as `as_of`, reference data as
`refdata`. A rule that raises at run time does not stop the audit; it is reported so that
the audit is marked INCOMPLETE (exit 3) instead of silently looking clean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from auditor.engine import checks
from auditor.engine.budget import RuleTimeout, time_budget
from auditor.engine.checks.base import EvalContext
from auditor.engine.checks.screen import screening_parties, unmatched_decisions
from auditor.engine.coverage import FieldPresence, Gap, RuleCoverage, rule_gaps, uncovered_sources
from auditor.engine.rejected import SCREENING_CHECKS, with_rejected
from auditor.model import (
    ClearedScreening,
    FindingGroup,
    InventorySource,
    InventoryTable,
    Rejected,
    Rule,
    Severity,
    TariffExposure,
)

if TYPE_CHECKING:
    from auditor.refdata import RefData


@dataclass
class Evaluation:
    groups: list[FindingGroup]
    tariff: TariffExposure | None = None
    cleared_matches: list[ClearedScreening] = field(default_factory=list)
    clearances_not_applied: list[dict[str, Any]] = field(default_factory=list)
    screening_parties: list[dict[str, Any]] = field(default_factory=list)
    screening_party_rigs: int = 0
    devices: dict[str, Any] | None = None  # audit --devices: what the snapshot held (auditor.devices.corroborate)
    errors: list[str] = field(default_factory=list)  # rules that failed at run time
    warnings: list[str] = field(default_factory=list)  # the run's warnings found while evaluating
    not_in_force: list[str] = field(default_factory=list)
    coverage: list[RuleCoverage] = field(default_factory=list)  # one per rule, in rule order
    # The table the groups index: the audited rows, then the rejected rows the screen rules
    # screened (engine/rejected.py); None: the table evaluated, nothing appended.
    table: InventoryTable | None = None


def scope_rows(rule: Rule, table: InventoryTable, as_of: date) -> np.ndarray:
    """Row indices inside the rule's [scope] (all rows when it has none)."""
    if rule.scope is None:
        return np.arange(len(table), dtype=np.int64)
    return np.flatnonzero(rule.scope.mask(table, as_of))


def evaluate_rule(rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
    check = checks.get(rule.check_kind)
    assert check is not None, rule.check_kind  # the loader refuses unknown check kinds
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


def evaluate(
    table: InventoryTable,
    rules: Sequence[Rule],
    refdata: RefData,
    as_of: date,
    *,
    sources: Sequence[InventorySource] | None = None,
    allow_missing: frozenset[str] = frozenset(),
    time_budget_s: float | None = None,
    on_rule: Callable[[int, int, str], None] | None = None,
    rejected: Sequence[Rejected] = (),
) -> Evaluation:
    """Evaluate every rule in force; with `time_budget_s`, a rule that runs longer is not evaluated
    (named in `errors`, so the audit is INCOMPLETE) and the next one starts. With `sources` (the
    files the table was read from), a rule is not evaluated on the rows of a file lacking a field
    it needs (engine/coverage.py). With `rejected` (rows the readers rejected), the rules that
    screen names (`screen`, `affiliates`) also screen the party names those rows hold (engine/rejected.py): `Evaluation.table` is then
    the table the groups index."""
    ctx = EvalContext(as_of=as_of, refdata=refdata)
    screened: InventoryTable | None = None  # built when the first screen rule runs
    result = Evaluation(groups=[], cleared_matches=ctx.cleared_matches)
    presence = FieldPresence(table, sources) if sources is not None else None
    for done, rule in enumerate(rules, 1):
        if on_rule is not None:  # a progress display; the core itself never reads a clock
            on_rule(done, len(rules), rule.id)
        if not rule.in_force(as_of):
            result.not_in_force.append(rule.id)
            result.coverage.append(RuleCoverage(rule.id, "not_in_force", detail=_window(rule)))
            continue
        not_applicable = getattr(checks.get(rule.check_kind), "not_applicable", None)
        reason = not_applicable(rule, ctx) if not_applicable is not None else None
        if reason:
            result.coverage.append(RuleCoverage(rule.id, "not_applicable", detail=reason))
            continue
        gaps: tuple[Gap, ...] = ()
        skip: set[int] = set()
        if presence is not None and sources is not None:
            gaps = tuple(rule_gaps(rule, presence, allow_missing))
            skip = uncovered_sources(gaps, sources) if gaps else set()
            if skip and all(i in skip or presence.rows[i] == 0 for i in range(len(sources))):
                result.coverage.append(RuleCoverage(rule.id, "not_evaluated", gaps))
                continue
        on = table
        if rule.check_kind in SCREENING_CHECKS and rejected:
            if screened is None:
                screened = with_rejected(table, rejected)
            on = screened
        try:
            with time_budget(time_budget_s):
                groups = evaluate_rule(rule, on, ctx)
        except RuleTimeout:
            message = (f"rule {rule.id} did not finish within its time budget of {time_budget_s:g} s "
                       "(--rule-timeout): not evaluated")
            result.errors.append(message)
            result.coverage.append(RuleCoverage(rule.id, "failed", gaps, detail=message))
            continue
        except Exception as exc:  # a broken rule must not look like a clean fleet
            message = f"rule {rule.id} failed at run time: {type(exc).__name__}: {exc}"
            result.errors.append(message)
            result.coverage.append(RuleCoverage(rule.id, "failed", gaps, detail=message))
            continue
        if skip:
            groups = _without_sources(groups, on, skip)
        result.groups.extend(groups)
        result.coverage.append(RuleCoverage(rule.id, "partial" if gaps else "evaluated", gaps))
    result.tariff = ctx.tariff
    result.warnings = unmatched_decisions(ctx)
    result.clearances_not_applied = ctx.clearances_not_applied
    # Every screen rule's listed parties, in one order, from the groups as kept (scope, files).
    if screened is not None and screened is not table:
        result.table = screened
    final = result.table if result.table is not None else table
    span = None if final.rejected_from is None else (final.rejected_from, len(final))
    result.screening_parties, result.screening_party_rigs = screening_parties(result.groups, len(final), span)
    return result


def _without_sources(groups: list[FindingGroup], table: InventoryTable, skip: set[int]) -> list[FindingGroup]:
    """Drop the rows of files the rule could not judge (a finding there would rest on no data)."""
    out = np.zeros(len(table.sources), dtype=bool)
    out[list(skip)] = True
    kept = []
    for g in groups:
        rows = g.rows[~out[table.source_index[g.rows]]]
        if len(rows):
            g.rows = rows
            kept.append(g)
    return kept


def _window(rule: Rule) -> str:
    start = rule.effective_from.isoformat() if rule.effective_from else "…"
    end = rule.effective_until.isoformat() if rule.effective_until else "…"
    return f"in force {start} to {end} (exclusive)"
