"""The evaluate step of a run (auditor.run): the I/O around the pure core.

read inventories -> load rules and reference data -> evaluate (pure) -> AuditResult.
Everything a user can get wrong before evaluation raises a usage error (exit 2).
Call auditor.run.run for a whole audit (decorations, reports, signature, history).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from auditor import __version__
from auditor.engine.coverage import incomplete_reasons
from auditor.engine.evaluate import evaluate
from auditor.engine.loader import load_rules
from auditor.inventory import ReadOptions, read_inventories
from auditor.limits import RULE_TIME_BUDGET_S
from auditor.model import AuditResult, Rule
from auditor.refdata import RefData
from auditor.refdata.loader import RefDataOptions, load_refdata


@dataclass
class AuditOptions:
    inventories: Sequence[str]
    as_of: date
    rule_dirs: Sequence[Path] = ()
    refdata: RefDataOptions = field(default_factory=RefDataOptions)
    strict: bool = False
    organisation: str | None = None
    rule_timeout_s: float | None = RULE_TIME_BUDGET_S  # per rule; None: unbounded
    # Fields the officer knows are missing: rules needing them are listed as not evaluated
    # (acknowledged) instead of making the audit INCOMPLETE.
    allow_missing: frozenset[str] = frozenset()
    read: ReadOptions = field(default_factory=ReadOptions)  # column map, date format, sheet, encoding
    devices: str | None = None  # device snapshot (JSON Lines from `devices scan`)
    devices_max_age_days: int = 7  # older snapshots are stated on the report


def run_audit(opts: AuditOptions, progress: Callable[[int], None] | None = None,
              on_rule: Callable[[int, int, str], None] | None = None) -> AuditResult:
    """Read, load, evaluate. `progress(rows)` is told rows read; `on_rule(done, total, rule_id)`
    each rule evaluated (both optional: for a progress display)."""
    rules = load_rules(opts.rule_dirs or None)
    # A rejected row keeps the cells the rules in force screen against the lists (engine/rejected.py).
    read = replace(opts.read, party_columns=screened_fields(rules, opts.as_of))
    table, sources, rejected, warnings = read_inventories(opts.inventories, progress, read)
    seen: dict[str, str] = {}
    for src in sources:
        if src.sha256 in seen:
            warnings.append(f"{src.path} has the same content as {seen[src.sha256]}: its rigs are counted twice")
        seen.setdefault(src.sha256, src.path)
    needs = {r.check_kind for r in rules if r.in_force(opts.as_of)}
    refdata = load_refdata(opts.refdata, opts.as_of, needs)
    inventory_rows = len(table)
    if opts.devices:
        from auditor.devices.corroborate import corroborate

        table, evaluation = corroborate(table, rules, refdata, opts.as_of, opts.devices, opts.devices_max_age_days,
                                        warnings, opts.rule_timeout_s, sources=sources,
                                        allow_missing=frozenset(opts.allow_missing), rejected=rejected)
    else:
        # device rules included: without a snapshot they are reported as not applicable
        evaluation = evaluate(table, rules, refdata, opts.as_of,
                              sources=sources, allow_missing=frozenset(opts.allow_missing),
                              time_budget_s=opts.rule_timeout_s, on_rule=on_rule, rejected=rejected)
        table = evaluation.table if evaluation.table is not None else table
    incomplete = list(refdata.incomplete) + list(evaluation.errors) + incomplete_reasons(evaluation.coverage)
    if inventory_rows == 0:
        incomplete.append("no row could be audited: every input row was rejected")
    if opts.strict and rejected:
        incomplete.append(f"{len(rejected)} row(s) rejected under --strict")
    return AuditResult(
        as_of=opts.as_of,
        tool_version=__version__,
        inventory=sources,
        rules=rules,
        lists=list(refdata.lists),
        table=table,
        groups=evaluation.groups,
        rejected=rejected,
        warnings=tuple(warnings + list(refdata.warnings) + list(evaluation.warnings)
                       + _law_warning(refdata, opts.as_of)),
        incomplete_reasons=tuple(incomplete),
        tariff=evaluation.tariff,
        cleared_matches=tuple(evaluation.cleared_matches),
        clearances_not_applied=tuple(evaluation.clearances_not_applied),
        screening_parties=tuple(evaluation.screening_parties),
        screening_party_rigs=evaluation.screening_party_rigs,
        devices=evaluation.devices,
        organisation=opts.organisation,
        refdata_sources=tuple(refdata.sources),
        law_researched=refdata.research.date.isoformat() if refdata.research else None,
        coverage=tuple(evaluation.coverage),
    )


def screened_fields(rules: Sequence[Rule], as_of: date) -> frozenset[str]:
    """The inventory columns the rules in force screen against the lists (`screen`,
    `affiliates`): what a rejected row keeps."""
    from auditor.engine import checks
    from auditor.engine.rejected import SCREENING_CHECKS

    out: set[str] = set()
    for rule in rules:
        if rule.check_kind in SCREENING_CHECKS and rule.in_force(as_of):
            check = checks.get(rule.check_kind)
            if check is not None:
                out.update(check.fields(rule.check))
    return frozenset(out)


def _law_warning(refdata: RefData, as_of: date) -> list[str]:
    research = refdata.research
    warning = research.staleness_warning(as_of) if research else None
    return [warning] if warning else []
