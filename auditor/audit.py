"""Running one audit: the I/O around the pure core.

read inventories -> load rules and reference data -> evaluate (pure) -> AuditResult.
Everything a user can get wrong before evaluation raises a usage error (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from auditor import __version__
from auditor.engine.evaluate import evaluate
from auditor.engine.loader import load_rules
from auditor.inventory import read_inventories
from auditor.model import AuditResult
from auditor.refdata.loader import RefDataOptions, load_refdata


@dataclass
class AuditOptions:
    inventories: Sequence[str]
    as_of: date
    rule_dirs: Sequence[Path] = ()
    refdata: RefDataOptions = field(default_factory=RefDataOptions)
    strict: bool = False
    organisation: str | None = None


def run_audit(opts: AuditOptions, progress: Callable[[int], None] | None = None) -> AuditResult:
    rules = load_rules(opts.rule_dirs or None)
    table, sources, rejected, warnings = read_inventories(opts.inventories, progress)
    seen: dict[str, str] = {}
    for src in sources:
        if src.sha256 in seen:
            warnings.append(f"{src.path} has the same content as {seen[src.sha256]}: its rigs are counted twice")
        seen.setdefault(src.sha256, src.path)
    needs = {r.check_kind for r in rules if r.in_force(opts.as_of)}
    refdata = load_refdata(opts.refdata, opts.as_of, needs)
    evaluation = evaluate(table, rules, refdata, opts.as_of)
    result = AuditResult(
        as_of=opts.as_of,
        tool_version=__version__,
        inventory=sources,
        rules=rules,
        lists=list(refdata.lists),
        table=table,
        groups=evaluation.groups,
        rejected=rejected,
        warnings=warnings + list(getattr(refdata, "warnings", [])) + _law_warning(refdata, opts.as_of),
        incomplete_reasons=list(refdata.incomplete) + list(evaluation.errors),
        extra_summary=dict(evaluation.summary),
        options={"organisation": opts.organisation, "refdata_sources": list(refdata.sources),
                 "law_researched": refdata.research.date.isoformat() if refdata.research else None},
    )
    if len(table) == 0:
        result.incomplete_reasons.append("no row could be audited: every input row was rejected")
    if opts.strict and rejected:
        result.incomplete_reasons.append(f"{len(rejected)} row(s) rejected under --strict")
    return result


def _law_warning(refdata, as_of: date) -> list[str]:
    research = getattr(refdata, "research", None)
    warning = research.staleness_warning(as_of) if research else None
    return [warning] if warning else []
