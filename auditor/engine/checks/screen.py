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
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.grouping import group_rows
from auditor.engine.render import render
from auditor.model import (
    CANONICAL_COLUMNS,
    ClearedScreening,
    FindingGroup,
    InventoryTable,
    Rule,
    Severity,
    count_distinct_rows,
)
from auditor.refdata.importers.effects import list_severity

if TYPE_CHECKING:
    from auditor.screening.screener import Match

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

    def parse(self, spec: Any, where: Where) -> ScreenConfig:
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
        if cfg.lists:
            # A list the rule names but the store does not hold would screen nothing and
            # look clean: the audit is INCOMPLETE instead (the runner reports this reason).
            loaded = screener.list_names()
            missing = [name for name in cfg.lists if name not in loaded]
            if missing:
                raise RuntimeError(
                    f"the rule screens against {', '.join(map(repr, missing))}, but the loaded lists have no "
                    f"entries from it: import it (`auditor lists import` / `lists update`)"
                )
        cleared = getattr(ctx.refdata, "cleared", None) or []
        from auditor.screening.cleared import clearance

        groups = []
        for field in cfg.fields:
            for (value,), rows in group_rows(table, [field]):
                if not value:
                    continue
                kwargs: dict[str, Any] = {"lists": cfg.lists}
                if cfg.threshold is not None:
                    kwargs["threshold"] = cfg.threshold
                entries = []
                notes: dict[tuple[str, str], str] = {}
                for m in screener.screen(str(value), ctx.as_of, **kwargs):
                    decision, note = clearance(str(value), m, cleared, ctx.as_of) if cleared else (None, None)
                    if note:
                        # A decision that does not apply (review date passed, dated after the
                        # audit or before the listing): the finding stands and says why.
                        notes[(m.list_name, m.entity_id)] = note
                        ctx.clearances_not_applied.append({
                            "rule_id": rule.id, "field": field, "value": value, "list": m.list_name,
                            "entity_id": m.entity_id, "listed_name": m.name, "rigs": int(len(rows)),
                            "note": note,
                        })
                    if decision is not None:
                        # A reviewed false positive: no finding, but the report says it was cleared.
                        ctx.cleared_matches.append(ClearedScreening(
                            rule_id=rule.id, field=field, value=str(value), list=m.list_name,
                            entity_id=str(m.entity_id), listed_name=m.name, score=round(float(m.score), 4),
                            rigs=int(len(rows)), reviewer=decision.reviewer,
                            justification=decision.justification, decided=decision.date.isoformat(),
                            decision=decision.where, review_by=decision.review_date.isoformat(),
                        ))
                        continue
                    entries.append((list_severity(m.list_name), m))
                if entries:
                    groups.append(self._finding(rule, rows, field, value, entries, notes))
        if groups:
            ctx.screening_parties.extend(parties(rule.id, groups, len(table)))
            # Rigs matching any listed party, each once (a rig can match several parties).
            ctx.screening_party_rigs += count_distinct_rows([g.rows for g in groups], len(table))
        return groups

    @staticmethod
    def _finding(rule: Rule, rows: np.ndarray, field: str, value: Any,
                 entries: list[tuple[tuple[Severity, str], Match]], notes: dict[tuple[str, str], str]) -> FindingGroup:
        # The entry whose list is the most severe (then the best score) speaks for the finding.
        entries.sort(key=lambda e: (-e[0][0], -e[1].score, e[1].list_name, e[1].entity_id))
        (severity, basis), top = entries[0]
        evidence = {
            "field": field,
            "value": value,
            **_entry(top),
            "severity": severity.label,
            "severity_basis": basis,
            "entries": [{**_entry(m), "severity": sev.label, **_note(notes, m)} for (sev, _), m in entries],
        }
        if notes:
            evidence["cleared_notes"] = [notes[k] for k in sorted(notes)]
        more = len(entries) - 1
        values = {**evidence, "score": f"{top.score:.2f}",
                  "more": f" and {more} more listed entr{'y' if more == 1 else 'ies'}" if more else ""}
        return FindingGroup(rule, rows, render(rule.message, values), evidence, severity=severity)


def parties(rule_id: str, groups: list[FindingGroup], table_rows: int) -> list[dict[str, Any]]:
    """The listed parties a rule's findings point at, each once, with every list and legal
    effect it carries, the inventory values that matched it and the number of rigs: what an
    officer reads first ("3 parties, 41 rigs") before the per-rig rows.

    A party is a listed name (normalised): the same company on the Entity List and the 1260H
    list, or imported twice, is one party with two lists."""
    from auditor.screening import normalise_name

    found: dict[str, dict[str, Any]] = {}
    rows: dict[str, list[np.ndarray]] = {}
    for group in groups:
        for entry in group.evidence["entries"]:
            key = normalise_name(entry["listed_name"]).text or entry["listed_name"]
            party = found.setdefault(key, {
                "rule_id": rule_id, "party": entry["listed_name"], "lists": set(), "entity_ids": set(),
                "legal_effects": set(), "matched": set(),
            })
            party["lists"].add(entry["list"])
            party["entity_ids"].add(f"{entry['list']}#{entry['entity_id']}")
            party["legal_effects"].add(entry["legal_effect"])
            party["matched"].add((group.evidence["field"], str(group.evidence["value"]), entry["matched_name"]))
            rows.setdefault(key, []).append(group.rows)
    out = []
    for key, party in found.items():
        out.append({
            **party,
            "lists": sorted(party["lists"]),
            "entity_ids": sorted(party["entity_ids"]),
            "legal_effects": sorted(e for e in party["legal_effects"] if e),
            "severity": max(list_severity(name)[0] for name in party["lists"]).label,
            "matched": [{"field": f, "value": v, "matched_name": m} for f, v, m in sorted(party["matched"])],
            "rigs": count_distinct_rows(rows[key], table_rows),
        })
    return out  # ordered with every rule's parties by evaluate (party_order)


def party_order(party: Mapping[str, Any]) -> tuple[int, int, str, str]:
    """Most severe first (a sanctioned party before an export-control one), then most rigs."""
    return (-int(Severity.parse(party["severity"])), -party["rigs"], party["party"], party["rule_id"])


def _note(notes: dict[tuple[str, str], str], m: Match) -> dict[str, Any]:
    note = notes.get((m.list_name, m.entity_id))
    return {"cleared_note": note} if note else {}


def _entry(m: Match) -> dict[str, Any]:
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
