"""`check = "screen"`: screen chosen inventory fields against entity lists ([screen] table).

Each distinct name is screened once per audit (a fleet has a handful of suppliers), and the
verdict is joined back to every rig carrying that name. A match is *exposure* to a listed
party, not proof of illegality: findings state the legal effect of the list.

One name matching several entries (a party listed under several names, or on several lists)
is ONE finding per rig and field: every entry is evidence (`entries`), the severity is the
highest any of their lists carries by its legal effect (`list_severity`), and the message
quotes the entry that sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.grouping import group_rows
from auditor.engine.render import render
from auditor.model import CANONICAL_COLUMNS, FindingGroup, InventoryTable, Rule
from auditor.refdata.importers.effects import list_severity

KEYS = {"fields", "lists", "threshold"}


@dataclass(frozen=True)
class ScreenConfig:
    fields: tuple[str, ...]
    lists: tuple[str, ...] | None  # None: every list loaded
    threshold: float | None  # None: the matcher's default


class ScreenCheck:
    name = "screen"
    table = "screen"
    kinds = frozenset({"entity"})
    message_vars = frozenset({"field", "value", "list", "listed_name", "matched_name", "score", "legal_effect", "source",
                              "severity", "severity_basis", "more"})

    def parse(self, spec, where: Where) -> ScreenConfig:
        if not isinstance(spec, dict):
            raise where.error("[screen] must be a table")
        unknown = sorted(set(spec) - KEYS)
        if unknown:
            raise where.error(f"[screen] unknown key {unknown[0]!r} (expected {sorted(KEYS)})", unknown[0], "screen")
        fields = spec.get("fields")
        if not isinstance(fields, list) or not fields or any(f not in CANONICAL_COLUMNS for f in fields):
            raise where.error("[screen] fields must be a non-empty list of canonical columns", "fields", "screen")
        lists = spec.get("lists")
        if lists is not None and (not isinstance(lists, list) or not all(isinstance(x, str) for x in lists)):
            raise where.error("[screen] lists must be a list of list names", "lists", "screen")
        threshold = spec.get("threshold")
        if threshold is not None and (not isinstance(threshold, (int, float)) or not 0 < threshold <= 1):
            raise where.error("[screen] threshold must be a number in (0, 1]", "threshold", "screen")
        return ScreenConfig(tuple(fields), tuple(lists) if lists else None, float(threshold) if threshold else None)

    def fields(self, config: ScreenConfig) -> tuple[str, ...]:
        return config.fields

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cfg: ScreenConfig = rule.check
        screener = ctx.refdata.screener
        if screener is None:
            raise RuntimeError("no screening lists are loaded")
        cleared = getattr(ctx.refdata, "cleared", None) or []
        from auditor.screening.cleared import find_clearance

        groups = []
        for field in cfg.fields:
            for (value,), rows in group_rows(table, [field]):
                if not value:
                    continue
                kwargs = {"lists": cfg.lists}
                if cfg.threshold is not None:
                    kwargs["threshold"] = cfg.threshold
                entries = []
                for m in screener.screen(str(value), ctx.as_of, **kwargs):
                    decision = find_clearance(str(value), m, cleared) if cleared else None
                    if decision is not None:
                        # A reviewed false positive: no finding, but the report says it was cleared.
                        ctx.summary.setdefault("cleared_matches", []).append({
                            "rule_id": rule.id, "field": field, "value": value, "list": m.list_name,
                            "entity_id": m.entity_id, "listed_name": m.name, "score": round(float(m.score), 4),
                            "rigs": int(len(rows)), "reviewer": decision.reviewer,
                            "justification": decision.justification, "decided": decision.date.isoformat(),
                            "decision": f"{decision.file}:{decision.line}" if decision.file else "",
                        })
                        continue
                    entries.append((list_severity(m.list_name), m))
                if entries:
                    groups.append(self._finding(rule, rows, field, value, entries))
        return groups


    @staticmethod
    def _finding(rule: Rule, rows, field: str, value, entries) -> FindingGroup:
        # The entry whose list is the most severe (then the best score) speaks for the finding.
        entries.sort(key=lambda e: (-e[0][0], -e[1].score, e[1].list_name, e[1].entity_id))
        (severity, basis), top = entries[0]
        evidence = {
            "field": field,
            "value": value,
            **_entry(top),
            "severity": severity.label,
            "severity_basis": basis,
            "entries": [{**_entry(m), "severity": sev.label} for (sev, _), m in entries],
        }
        more = len(entries) - 1
        values = {**evidence, "score": f"{top.score:.2f}",
                  "more": f" and {more} more listed entr{'y' if more == 1 else 'ies'}" if more else ""}
        return FindingGroup(rule, rows, render(rule.message, values), evidence, severity=severity)


def _entry(m) -> dict:
    return {
        "list": m.list_name,
        "entity_id": m.entity_id,
        "listed_name": m.name,
        "matched_name": m.matched_name,
        "score": round(float(m.score), 4),
        "legal_effect": m.legal_effect,
        "source": m.source,
        "explanation": m.explanation,
    }


CHECK = ScreenCheck()
