"""`check = "affiliates"`: the BIS Affiliates (50%) rule over ownership records ([affiliates]).

A supply-chain party that is not itself listed, but is owned 50% or more in aggregate by
listed parties (directly or through restricted intermediaries), is exposed through the
rule. The rule's own status is dated data (in force, suspended, …): the finding states that
status. While the rule applies, the finding takes the severity of the most severe list its
listed owners are on (an SDN owner: critical; Entity List or MEU: high), stated in the
finding; while suspended it is a note (info).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.grouping import group_rows
from auditor.engine.render import render
from auditor.model import CANONICAL_COLUMNS, FindingGroup, InventoryTable, Rule, Severity
from auditor.refdata.importers.effects import list_severity

KEYS = {"fields", "lists"}
# Severity per rule status: in force takes the owners' list severity; the others are notes.
STATUS_SEVERITY = {"suspended": Severity.INFO, "revived_unconfirmed": Severity.INFO}
STATUS_TEXT = {
    "in_force": "in force",
    "suspended": "suspended on this date (exposure returns if the suspension ends)",
    "revived_unconfirmed": "revived unless BIS acted — whether it applies is unconfirmed",
}
SDN_SCOPE = ("the rule covers entities owned 50% or more by SDN parties designated under the programmes in "
             "15 CFR 744.8 (reported): confirm the owner's programme")


@dataclass(frozen=True)
class AffiliatesConfig:
    fields: tuple[str, ...]
    lists: tuple[str, ...]  # list names containing one of these count as "listed parties"


class AffiliatesCheck:
    name = "affiliates"
    table = "affiliates"
    kinds = frozenset({"entity"})
    message_vars = frozenset({"field", "value", "share", "chains", "status", "owner_lists", "severity",
                              "severity_basis"})

    def parse(self, spec, where: Where) -> AffiliatesConfig:
        if not isinstance(spec, dict):
            raise where.error("[affiliates] must be a table")
        unknown = sorted(set(spec) - KEYS)
        if unknown:
            raise where.error(f"[affiliates] unknown key {unknown[0]!r}", unknown[0], "affiliates")
        fields = spec.get("fields")
        if not isinstance(fields, list) or not fields or any(f not in CANONICAL_COLUMNS for f in fields):
            raise where.error("[affiliates] fields must be a non-empty list of canonical columns", "fields", "affiliates")
        lists = spec.get("lists")
        if not isinstance(lists, list) or not lists or not all(isinstance(x, str) and x for x in lists):
            raise where.error("[affiliates] lists must name the lists whose parties count (e.g. \"Entity List\")",
                              "lists", "affiliates")
        return AffiliatesConfig(tuple(fields), tuple(lists))

    def fields(self, config: AffiliatesConfig) -> tuple[str, ...]:
        return config.fields

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        from auditor.refdata.ownership import affiliate_exposure, rule_status

        cfg: AffiliatesConfig = rule.check
        ref = ctx.refdata
        if ref.affiliates_rule is None:
            raise RuntimeError("the Affiliates rule data is not loaded")
        status = rule_status(ref.affiliates_rule, ctx.as_of)
        if status.status == "not_yet_effective" or not ref.ownership:
            return []
        screener = ref.screener
        listed_cache: dict[str, list[str]] = {}  # name -> the lists (in scope) it is on

        def lists_of(name: str) -> list[str]:
            if name not in listed_cache:
                matches = screener.screen(name, ctx.as_of) if screener is not None else []
                listed_cache[name] = sorted({m.list_name for m in matches if any(t in m.list_name for t in cfg.lists)})
            return listed_cache[name]

        status_text = STATUS_TEXT.get(status.status, status.status)
        if status.note:
            research = getattr(ref, "research", None)
            status_text += f" ({status.note}{f', {research.date.isoformat()}' if research else ''})"
        groups = []
        for field in cfg.fields:
            for (value,), rows in group_rows(table, [field]):
                if not value:
                    continue
                exp = affiliate_exposure(str(value), ref.ownership, lambda n: bool(lists_of(n)), ctx.as_of,
                                         ref.affiliates_rule)
                if not exp.meets_threshold:
                    continue
                owner_lists = sorted({li for owner in _listed_owners(exp.holdings) for li in lists_of(owner)})
                severity, basis = max((list_severity(li) for li in owner_lists), key=lambda sb: sb[0])
                if status.status in STATUS_SEVERITY or status.confidence == "U":
                    severity = STATUS_SEVERITY.get(status.status, Severity.INFO)
                    basis = f"the Affiliates rule is {status.status.replace('_', ' ')} on this date: a note only"
                chains = exp.chains()
                evidence = {
                    "field": field,
                    "value": value,
                    "aggregate_share_percent": exp.aggregate_share,
                    "threshold_percent": exp.threshold,
                    "ownership_chains": chains,
                    "owner_lists": owner_lists,
                    "severity": severity.label,
                    "severity_basis": basis,
                    "rule_status": status.status,
                    "rule_status_confidence": status.confidence,
                    "rule_status_source": status.source,
                    "sources": sorted({h.source for h in exp.holdings}),
                }
                if any("(SDN)" in li for li in owner_lists):
                    evidence["sdn_scope"] = SDN_SCOPE
                values = {"field": field, "value": value, "share": f"{exp.aggregate_share:g}%",
                          "chains": "; ".join(chains), "status": status_text, "owner_lists": "; ".join(owner_lists),
                          "severity": severity.label, "severity_basis": basis}
                groups.append(FindingGroup(rule, rows, render(rule.message, values), evidence, severity=severity))
        return groups


def _listed_owners(holdings) -> set[str]:
    """The listed parties at the top of every ownership chain."""
    out: set[str] = set()
    for h in holdings:
        if h.owner_listed:
            out.add(h.owner)
        out |= _listed_owners(h.via)
    return out


CHECK = AffiliatesCheck()
