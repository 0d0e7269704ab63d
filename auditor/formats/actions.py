"""The "top actions" list: each distinct problem that needs action, once, most severe first.

An officer reads the first screen of the report and must know what to do. Findings are per
rig; problems are not: 23 rigs on one firmware advisory are one thing to fix. A problem is
  - a listed party: the party of `summary.screening_parties` (screening: the entries that are one
    party, joined as the per-party table joins them), or the party owned by listed ones (Affiliates rule);
  - a firmware advisory: its id;
  - otherwise the rule itself (its reason is the rule's title, the example message says more);
at one severity. Informational findings (`info`) are figures, never actions; waived findings
are accepted risks and leave the list (they are counted apart). Ordered by severity, then rigs
affected, then rule id: the same inputs always give the same list.

Rigs affected by a listed party have one definition, the per-party table's: the rigs with a
finding whose matched entries include the party. A finding matching three Entity List entries
counts under each of the three parties, at that party's severity, as the table counts it, and
each party's example is said of that party's own entry (its listed name, list and score:
`screen.party_message`), never of the entry that speaks for the whole finding.

Computed on finding groups (distinct reasons), so a million rigs cost a few thousand groups;
only when waivers exist are the groups at or above `low` walked finding by finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from auditor.engine.checks.screen import party_message
from auditor.model import AuditResult, FindingGroup, Rule, Severity, count_distinct_rows

ACTION_FLOOR = Severity.LOW  # findings below this are informational figures


@dataclass
class Action:
    severity: Severity
    rule: Rule
    subject: str  # the listed party or advisory; "" when the rule itself is the problem
    rigs: int  # rigs with an open finding of this problem
    findings: int  # open findings
    waived: int  # findings of this problem covered by a waiver (not counted above)
    example: str  # the message of the problem's largest group: the reason in the rule's words

    @property
    def what_to_do(self) -> str:
        return self.rule.remediation or "Review the findings of this rule."

    def as_json(self) -> dict[str, Any]:
        return {"severity": self.severity.label, "rule_id": self.rule.id, "title": self.rule.title,
                "subject": self.subject, "rigs": self.rigs, "findings": self.findings, "waived": self.waived,
                "example": self.example, "what_to_do": self.what_to_do}


def subject_of(evidence: Mapping[str, Any]) -> str:
    """What makes one finding's problem distinct within its rule: a listed party or an advisory."""
    listed = evidence.get("listed_name")
    if listed:
        where = evidence.get("list")
        return f"{listed} ({where})" if where else str(listed)
    if evidence.get("owner_lists") and evidence.get("value"):  # Affiliates rule: the party owned by listed ones
        return f"{evidence['value']} (owned 50% or more by listed parties)"
    advisory = evidence.get("advisory")
    if isinstance(advisory, Mapping) and advisory.get("id"):
        return str(advisory["id"])
    return ""


Party = tuple[str, Severity, frozenset[str]]  # subject, severity, its entries ("list#entity id")


def _parties_by_entry(result: AuditResult) -> dict[tuple[str, str], list[Party]]:
    """(rule id, "list#entity id") -> the listed parties that entry belongs to."""
    index: dict[tuple[str, str], list[Party]] = {}
    for party in result.screening_parties:
        subject = f"{party['party']} ({'; '.join(party['lists'])})"
        ids = frozenset(party["entity_ids"])
        for key in ids:
            index.setdefault((party["rule_id"], key), []).append((subject, Severity.parse(party["severity"]), ids))
    return index


def _problems(group: FindingGroup, parties: dict[tuple[str, str], list[Party]]
              ) -> list[tuple[str, Severity, bool, frozenset[str]]]:
    """The problems one finding group is part of: each listed party it matched (with the party's
    entries), else its one subject; and whether the group's top entry, the one its own message
    quotes, is the party's (the party's strongest evidence)."""
    found: dict[str, tuple[Severity, bool, frozenset[str]]] = {}
    entries = group.evidence.get("entries") or [] if parties else []
    for i, entry in enumerate(entries):  # entries[0] is the one the message quotes
        for subject, severity, ids in parties.get((group.rule.id, f"{entry['list']}#{entry['entity_id']}"), ()):
            found[subject] = (severity, i == 0 or (subject in found and found[subject][1]), ids)
    if found:
        return [(subject, severity, named, ids) for subject, (severity, named, ids) in sorted(found.items())]
    return [(subject_of(group.evidence), group.effective_severity, True, frozenset())]


def _example(group: FindingGroup, party: frozenset[str]) -> str:
    """What the problem's line quotes: the group's message, said of the party's own entry."""
    return (party_message(group, party) if party else None) or group.message


def top_actions(result: AuditResult) -> list[Action]:
    """Every distinct problem at or above `low` with an open finding, in report order."""
    parties = _parties_by_entry(result)
    buckets: dict[tuple, list[FindingGroup]] = {}
    naming: dict[tuple, list[FindingGroup]] = {}  # the groups whose top entry is the party's
    entries: dict[tuple, frozenset[str]] = {}  # a listed party's entries
    for g in result.groups:
        for subject, severity, named, ids in _problems(g, parties):
            if severity >= ACTION_FLOOR:
                key = (g.rule.id, int(severity), subject)
                buckets.setdefault(key, []).append(g)
                entries[key] = ids
                if named:
                    naming.setdefault(key, []).append(g)
    out: list[Action] = []
    waivers = result.waivers
    for key, groups in buckets.items():
        _, sev, subject = key
        # The largest group, preferring those the party leads; said of the party's own entry.
        candidates = naming.get(key, groups)
        largest = max(len(g.rows) for g in candidates)
        example = max(_example(g, entries[key]) for g in candidates if len(g.rows) == largest)
        if waivers:
            rows: list[int] = []
            waived = 0
            for r in result.finding_rows(groups):
                if r.fingerprint in waivers:
                    waived += 1
                else:
                    rows.append(r.row)
            findings = len(rows)
            rigs = len(set(rows))
        else:
            waived = 0
            findings = sum(len(g.rows) for g in groups)
            rigs = count_distinct_rows([g.rows for g in groups], len(result.table))
        if findings:
            out.append(Action(Severity(sev), groups[0].rule, subject, rigs, findings, waived, example))
    out.sort(key=lambda a: (-int(a.severity), -a.rigs, a.rule.id, a.subject))
    return out
