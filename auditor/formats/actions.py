"""The "top actions" list: each distinct problem that needs action, once, most severe first.

An officer reads the first screen of the report and must know what to do. Findings are per
rig; problems are not: 23 rigs on one firmware advisory are one thing to fix. A problem is
  - a listed party: the list entry matched (screening), or the party owned by listed ones (Affiliates rule);
  - a firmware advisory: its id;
  - otherwise the rule itself (its reason is the rule's title, the example message says more);
at one severity. Informational findings (`info`) are figures, never actions; waived findings
are accepted risks and leave the list (they are counted apart). Ordered by severity, then rigs
affected, then rule id: the same inputs always give the same list.

Computed on finding groups (distinct reasons), so a million rigs cost a few thousand groups;
only when waivers exist are the groups at or above `low` walked finding by finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

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


def top_actions(result: AuditResult) -> list[Action]:
    """Every distinct problem at or above `low` with an open finding, in report order."""
    buckets: dict[tuple, list[FindingGroup]] = {}
    for g in result.groups:
        if g.effective_severity >= ACTION_FLOOR:
            key = (g.rule.id, int(g.effective_severity), subject_of(g.evidence))
            buckets.setdefault(key, []).append(g)
    out: list[Action] = []
    waivers = result.waivers
    for (_, sev, subject), groups in buckets.items():
        example = max(groups, key=lambda g: (len(g.rows), g.message)).message
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
