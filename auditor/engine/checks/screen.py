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

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Collection, Mapping, Sequence

import numpy as np

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.grouping import group_rows
from auditor.engine.render import Part, render
from auditor.model import (
    BUNDLED_ID_PREFIX,
    CANONICAL_COLUMNS,
    ClearedScreening,
    FindingGroup,
    InventoryTable,
    Rule,
    Severity,
    count_distinct_rows,
)
from auditor.refdata.importers.effects import id_authority, list_severity

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
        ctx.screen_rules.append(rule.id)
        cleared = getattr(ctx.refdata, "cleared", None) or []
        from auditor.screening.cleared import find_clearance

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
                    found = find_clearance(str(value), m, cleared) if cleared else None
                    note = found.not_applicable(m, ctx.as_of) if found is not None else None
                    decision = None if note else found
                    if found is not None:
                        ctx.cleared_found.add(found)
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
        # The listed parties are gathered from the groups as the evaluation keeps them (after the
        # rule's scope and the files it could not judge): `screening_parties`.
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
                  "more": Part(f" and {more} more listed entr{'y' if more == 1 else 'ies'}" if more else "")}
        return FindingGroup(rule, rows, render(rule.message, values), evidence, severity=severity)


def unmatched_decisions(ctx: EvalContext) -> list[str]:
    """Cleared decisions that no match of this run's screening found, whatever their dates: they
    cleared nothing. Each goes to `clearances_not_applied` (every report lists those) with the
    reason; the returned warnings are the run's. A decision for an entry the lists have, but
    that no screened name matched, is most often a mistyped entity id (10895 for 10894) or a
    name gone from the inventory. (A decision for an entry the loaded lists lack is warned
    about when the file is loaded: refdata.loader.)"""
    cleared = getattr(ctx.refdata, "cleared", None) or []
    unmatched = [d for d in cleared if d not in ctx.cleared_found]
    if not ctx.screen_rules or not unmatched:
        return []
    screener = ctx.refdata.screener
    wanted = {(d.list_name, d.entity_id) for d in unmatched}
    listed = {(e.list_name, e.entity_id): e.name for e in (screener.entries if screener is not None else ())
              if (e.list_name, e.entity_id) in wanted}
    warnings = []
    for d in unmatched:
        name = listed.get((d.list_name, d.entity_id))
        where = f" ({d.where})" if d.where else ""
        if name is None:
            note = (f"cleared decision of {d.date.isoformat()}{where} matched no finding in this run: the loaded "
                    f"lists have no entry #{d.entity_id} on this list")
        else:
            note = (f"cleared decision of {d.date.isoformat()}{where} matched no finding in this run: no screened "
                    f"value written like {d.name!r} matched entry #{d.entity_id} ({name}); check the entity id "
                    "against the finding's evidence")
            warnings.append(f"{d.where or 'cleared file'}: the cleared decision for {d.name!r} against "
                            f"{name!r} (#{d.entity_id}, {d.list_name}) matched no finding in this run: it cleared "
                            "nothing (a mistyped entity id? copy the list and entry id from the finding's evidence)")
        ctx.clearances_not_applied.append({
            "rule_id": ctx.screen_rules[0], "field": "", "value": d.name, "list": d.list_name,
            "entity_id": d.entity_id, "listed_name": name or "", "rigs": 0, "note": note,
        })
    return warnings


def screening_parties(groups: Sequence[FindingGroup], table_rows: int,
                      rejected: tuple[int, int] | None = None) -> tuple[list[dict[str, Any]], int]:
    """Every screen rule's listed parties, most severe first, and the rigs matching any of them.

    Built from the finding groups the evaluation keeps (the rows a rule's scope leaves, never
    those of a file the rule could not judge), so the per-party table counts the rigs the
    findings name. A rig is counted once however many parties, fields or rules it matches.
    `rejected` is the (start, end) of the table's rejected rows screened all the same
    (engine/rejected.py): they count among a party's rigs, and a party says how many of its
    rows they are (`rejected_rows`, only when there are some)."""
    by_rule: dict[str, list[FindingGroup]] = {}
    for g in groups:
        if g.rule.check_kind == "screen" and g.evidence.get("entries"):
            by_rule.setdefault(g.rule.id, []).append(g)
    out = [p for rule_id, gs in sorted(by_rule.items()) for p in parties(rule_id, gs, table_rows, rejected)]
    rigs = count_distinct_rows([g.rows for gs in by_rule.values() for g in gs], table_rows)
    return sorted(out, key=party_order), rigs


def distinct_parties(parties: Sequence[Mapping[str, Any]]) -> int:
    """How many listed parties `screening_parties` names: a party two screen rules matched is one
    listed party in two rows (one per rule), counted once; parties sharing an entry are one."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for party in parties:
        ids = list(party["entity_ids"])
        for other in ids[1:]:
            parent[root(other)] = root(ids[0])
    return len({root(party["entity_ids"][0]) for party in parties if party["entity_ids"]})


def parties(rule_id: str, groups: list[FindingGroup], table_rows: int,
            rejected: tuple[int, int] | None = None) -> list[dict[str, Any]]:
    """The listed parties a rule's findings point at, each once, with every list and legal
    effect it carries, the inventory values that matched it and the number of rigs: what an
    officer reads first ("3 parties, 41 rigs") before the per-rig rows.

    A party is one listed entry, joined with the entries that are the same party: the same
    entry imported twice (the bundled list and an official file: same list and entity id), and
    entries on OTHER lists that are it (`same_party`: the same authority's id, or the same name). Two entries of one list with different
    ids are two parties, however alike their names ("Sophgo Technologies Ltd." in China and
    "Sophgo Technologies Pte. Ltd." in Singapore are two Entity List entries).

    `matched` is what THIS party's entries matched: each inventory value once, with the name or
    alias of the party's entry it matched best and that match's score (a value matching several
    parties of a finding is listed under each with the name it matched there). A party
    is never more severe than the findings naming it (a rule of uncertain facts raises info)."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    rows: dict[tuple[str, str], list[np.ndarray]] = {}
    matched: dict[tuple[str, str], dict[tuple[str, str, str], float]] = {}
    ceiling: dict[tuple[str, str], Severity] = {}
    for group in groups:
        for entry in group.evidence["entries"]:
            key = (entry["list"], str(entry["entity_id"]))
            entries.setdefault(key, entry)
            rows.setdefault(key, []).append(group.rows)
            seen = matched.setdefault(key, {})
            what = (group.evidence["field"], str(group.evidence["value"]), entry["matched_name"])
            seen[what] = max(seen.get(what, 0.0), float(entry["score"]))
            ceiling[key] = max(ceiling.get(key, Severity.INFO), group.effective_severity)
    out = []
    for members in same_party(list(entries.values())):
        keys = [(e["list"], str(e["entity_id"])) for e in members]
        lists = sorted({e["list"] for e in members})
        # The entry on the most severe list names the party (then the first list, the first id).
        speaker = min(members, key=lambda e: (-list_severity(e["list"])[0], e["list"], str(e["entity_id"])))
        # Each inventory value once, with the party's name it matched best (the name the party
        # is shown by on a tie, then the first): its entries on two lists may match it by two names.
        best: dict[tuple[str, str], tuple[float, bool, str]] = {}
        for k in keys:
            for (f, v, name), score in matched[k].items():
                mine = (score, name == speaker["listed_name"], name)
                held = best.get((f, v))
                if held is None or (mine[0], mine[1]) > (held[0], held[1]) or (mine[:2] == held[:2] and name < held[2]):
                    best[(f, v)] = mine
        severity = min(max(list_severity(name)[0] for name in lists), max(ceiling[k] for k in keys))
        out.append({
            "rule_id": rule_id,
            "party": speaker["listed_name"],
            "lists": lists,
            "entity_ids": sorted(f"{lst}#{eid}" for lst, eid in keys),
            "legal_effects": sorted({e["legal_effect"] for e in members if e["legal_effect"]}),
            "severity": severity.label,
            "matched": [{"field": f, "value": v, "matched_name": best[(f, v)][2], "score": best[(f, v)][0]}
                        for f, v in sorted(best)],
            "rigs": count_distinct_rows([r for k in keys for r in rows[k]], table_rows),
        })
        if rejected is not None:
            on_rejected = [r[(r >= rejected[0]) & (r < rejected[1])] for k in keys for r in rows[k]]
            n = count_distinct_rows([r for r in on_rejected if len(r)], table_rows)
            if n:
                out[-1]["rejected_rows"] = n
    return out  # ordered with every rule's parties by `screening_parties` (party_order)


def party_message(group: FindingGroup, entity_ids: Collection[str]) -> str | None:
    """The finding group's message as said of one listed party: the rule's sentence filled with
    the first of the group's matched entries that is the party's (`entity_ids`, "list#id" as in
    `screening_parties`) — its listed name, list, score, legal effect and severity — instead of
    the entry that speaks for the whole finding. None when no entry of the group is the party's.

    One supplier can match a dozen listed parties ("Sberbank of Russia": the bank and its
    subsidiaries); the finding's message quotes the most severe, best-scored entry, and each
    party's own line must quote its own."""
    for entry in group.evidence.get("entries") or ():
        if f"{entry['list']}#{entry['entity_id']}" in entity_ids:
            values = {**group.evidence, **entry, "score": f"{float(entry['score']):.2f}",
                      "severity_basis": list_severity(str(entry["list"]))[1], "more": Part("")}
            return render(group.rule.message, values)
    return None


def same_party(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Listed entries (evidence `entries`) grouped into parties, in a fixed order.

    Joined, in this order: the same list and entity id (the bundled list's entries carry
    their official id after a `curated:<list>:` prefix); then the same id of one authority
    across its lists (OFAC's ent_num on the SDN and the SSI list: `id_authority`; never
    across authorities, whose ids are unrelated); then the same name with only its
    punctuation, case and legal-form spelling told apart ("CO., LTD." / "Co., Ltd."); then the
    same name without its legal form ("Huawei Technologies Company" / "… Co., Ltd."). A join
    never puts two different ids of one list (from one source) into one party: those are two
    listings, such as a company's offices in two countries.
    """
    ordered = sorted(entries, key=lambda e: (e["list"], str(e["entity_id"])))
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Per party: its (list, source) -> entity id, to refuse joining two listings of one list.
    ids: dict[int, dict[tuple[str, str], str]] = {
        i: {(e["list"], _source(e)): _official_id(e)} for i, e in enumerate(ordered)}

    def join(i: int, j: int, check: bool) -> None:
        a, b = root(i), root(j)
        if a == b:
            return
        if check and any(ids[b].get(k, v) != v for k, v in ids[a].items()):
            return
        a, b = min(a, b), max(a, b)
        parent[b] = a
        ids[a].update(ids.pop(b))

    for keyer, check in ((lambda e: (e["list"], _official_id(e)), False), (_authority_id, True),
                         (_exact_name, True), (_bare_name, True)):
        first: dict[Any, int] = {}
        for i, e in enumerate(ordered):
            k = keyer(e)
            if k:
                join(first.setdefault(k, i), i, check)
    parties: dict[int, list[dict[str, Any]]] = {}
    for i, e in enumerate(ordered):
        parties.setdefault(root(i), []).append(e)
    return [parties[r] for r in sorted(parties)]


def _source(entry: Mapping[str, Any]) -> str:
    return "curated" if str(entry["entity_id"]).startswith(BUNDLED_ID_PREFIX) else "imported"


def _official_id(entry: Mapping[str, Any]) -> str:
    """`curated:1260h:huawei-technologies-co-ltd@2021-06-03` -> the imported id it stands for."""
    eid = str(entry["entity_id"])
    return eid.split(":", 2)[2] if eid.startswith(BUNDLED_ID_PREFIX) and eid.count(":") >= 2 else eid


def _authority_id(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """(authority, its number for the entity) when the list's ids are one authority's numbering."""
    authority = id_authority(str(entry["list"]))
    eid = _official_id(entry)
    return (authority, eid) if authority and eid.isdigit() else None


_NOT_WORD = re.compile(r"[\W_]+")
# Legal forms rigour leaves in place when they end a name ("Company" may be part of a name).
_TRAILING_FORMS = {"company", "co", "corporation", "corp", "incorporated", "inc", "limited", "ltd", "llc", "plc"}


def _exact_name(entry: Mapping[str, Any]) -> str:
    from rigour.names import replace_org_types_compare

    text = unicodedata.normalize("NFKC", str(entry["listed_name"])).casefold()
    return " ".join(_NOT_WORD.sub(" ", replace_org_types_compare(text)).split())


def _bare_name(entry: Mapping[str, Any]) -> str:
    from rigour.names import remove_org_types

    text = unicodedata.normalize("NFKC", str(entry["listed_name"])).casefold()
    words = _NOT_WORD.sub(" ", remove_org_types(text)).split()
    while len(words) > 1 and words[-1] in _TRAILING_FORMS:
        words.pop()
    return " ".join(words)


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
