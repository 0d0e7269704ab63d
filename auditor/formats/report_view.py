"""What the HTML page and the PDF both show, computed once from an AuditResult.

The two renderers feed the same Jinja2 partials (reports/templates/_*.j2) from this view;
they differ only in which findings they list (a sample per rule on the static HTML page,
critical and high findings in the PDF) and in their page furniture. Nothing here
re-evaluates a rule: counts come from the finding groups, rows from `AuditResult.iter_finding_rows`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

from auditor.engine.checks.screen import distinct_parties
from auditor.formats import charts, tariff_view
from auditor.formats.document import audit_id, header, rejected_rows, screening_caveat, screening_note  # noqa: F401 (audit_id re-exported)
from auditor.model import AuditResult, BaselineSource, FindingRow, Rule, Severity, canonical_json, count_distinct_rows
from auditor.public_names import public_name

SEVERITIES = [s.label for s in sorted(Severity, reverse=True)]  # critical first
TARIFF_RIGS_CAP = 500  # rigs in the HTML page's collapsible tariff table; all are in tariff_rigs.csv


def rules_digest(doc: dict[str, Any]) -> str:
    """One hash naming the exact rule set: SHA-256 over "id version sha256" lines, sorted by id."""
    lines = "".join(f"{r['id']} {r['version']} {r['sha256']}\n" for r in doc["inputs"]["rules"])
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def evidence_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (dict, list, tuple)):
        return canonical_json(value)
    return str(value)


@dataclass
class RuleSection:
    rule: Rule
    count: int
    rigs: int
    by_severity: dict[str, int]
    severity: Severity  # the highest severity among the rule's findings
    rows: list[dict[str, Any]] = field(default_factory=list)  # findings listed in this rendering
    listed_note: str = ""
    # The listed rows gathered by identical message and evidence (see `group_rows`), for the PDF.
    groups: list[dict[str, Any]] = field(default_factory=list)
    # High and critical findings split by waiver state (the summary's "needing action" list).
    severe_open: int = 0
    severe_open_rigs: int = 0
    severe_waived: int = 0
    new: int = 0  # findings new against the baseline (0 without one)

    @property
    def omitted(self) -> int:
        return self.count - len(self.rows)


def waiver_status(waiver: Any) -> str:
    """"open", or "waived (W-1, until 2027-01-01)" naming the waiver that covers the finding."""
    if waiver is None:
        return "open"
    wid, until = waiver.get("id"), waiver.get("expires")
    detail = ", ".join(x for x in (str(wid) if wid else "", f"until {until}" if until else "") if x)
    return f"waived ({detail})" if detail else "waived"


def finding_row(result: AuditResult, r: FindingRow, site: Any, notes: dict[str, str] | None = None) -> dict[str, Any]:
    """What a listed finding shows, from the engine's cheapest per-finding form (FindingRow)."""
    g = r.group
    note = (notes if notes is not None else result.waiver_notes()).get(r.fingerprint)
    baseline = result.baseline
    return {
        # "new" / "unchanged" against the baseline; "" without one.
        "baseline_state": "" if baseline is None else baseline.get(r.fingerprint, "new"),
        "waiver_note": f"{note} — reopened" if note else "",
        "asset": r.serial or r.key,
        "location": f"{result.table.sources[r.source]}:{r.line}"
                    + (" (rejected row)" if result.table.rejected_reason(r.row) is not None else ""),
        "site": "" if site is None else str(site),
        "severity": g.effective_severity.label,
        "status": waiver_status(result.waivers.get(r.fingerprint)),
        "message": g.message,
        "evidence": [(k, evidence_text(v)) for k, v in sorted(r.evidence.items())],
        "fingerprint": r.fingerprint,
    }


def group_rows(rows: list[dict[str, Any]], evidence_limit: int = 240) -> list[dict[str, Any]]:
    """Rows sharing message, severity and evidence, stated once with the list of their rigs.

    Many rigs usually fail a rule for the same reason (same firmware advisory, same origin
    claim): printing that reason once keeps the PDF short and readable. Groups come in the
    order of their first row; long evidence values are shortened (report.json has them whole).
    """
    groups: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (r["message"], r["severity"], tuple(r["evidence"]))
        g = groups.get(key)
        if g is None:
            evidence = [(k, v if len(v) <= evidence_limit else v[: evidence_limit - 1] + "…") for k, v in r["evidence"]]
            g = groups[key] = {"message": r["message"], "severity": r["severity"], "evidence": evidence, "rows": []}
        g["rows"].append(r)
    return list(groups.values())


def rule_sections(result: AuditResult) -> list[RuleSection]:
    """Rules with findings, most severe first, then by rule id; counts from the groups."""
    acc: dict[str, RuleSection] = {}
    rows: dict[str, list] = {}
    for g in result.groups:
        rows.setdefault(g.rule.id, []).append(g.rows)
        s = acc.get(g.rule.id)
        if s is None:
            s = acc[g.rule.id] = RuleSection(g.rule, 0, 0, {k: 0 for k in SEVERITIES}, g.effective_severity)
        n = len(g.rows)
        s.count += n
        s.by_severity[g.effective_severity.label] += n
        s.severity = max(s.severity, g.effective_severity)
    for rid, s in acc.items():
        s.rigs = count_distinct_rows(rows[rid], len(result.table))
        s.severe_open = s.by_severity["critical"] + s.by_severity["high"]
        s.severe_open_rigs = s.rigs if s.severe_open == s.count else _severe_rigs(
            [g for g in result.groups if g.rule.id == rid], len(result.table))
    if result.waivers or result.baseline is not None:
        _split_by_state(result, acc)
    return sorted(acc.values(), key=lambda s: (-int(s.severity), s.rule.id))


def _severe_rigs(groups, table_rows: int) -> int:
    rows = [g.rows for g in groups if g.effective_severity >= Severity.HIGH]
    return count_distinct_rows(rows, table_rows) if rows else 0


def _split_by_state(result: AuditResult, acc: dict[str, RuleSection]) -> None:
    """New findings per rule; waived high/critical findings (and the open ones' rigs) per rule.

    Waivers are keyed by fingerprint, so only the high and critical groups are walked for them.
    """
    if result.baseline is not None:
        for rid, n in result.new_by_rule().items():
            acc[rid].new = n
    waivers = result.waivers
    if not waivers:
        return
    severe: dict[str, list] = {}
    for g in result.groups:
        if g.effective_severity >= Severity.HIGH:
            severe.setdefault(g.rule.id, []).append(g)
    for rid, groups in severe.items():
        s = acc[rid]
        s.severe_open = s.severe_waived = 0
        open_rows: set[int] = set()
        for r in result.finding_rows(groups):
            if r.fingerprint in waivers:
                s.severe_waived += 1
            else:
                s.severe_open += 1
                open_rows.add(r.row)
        s.severe_open_rigs = len(open_rows)


def fill_rows(result: AuditResult, sections: list[RuleSection],
              wanted: Callable[[FindingRow], bool], budget: Callable[[RuleSection], int]) -> None:
    """Attach to each section the first `budget(section)` findings that `wanted` accepts.

    Report order (file, line) within each rule; with a baseline, the rule's new findings come first.
    """
    by_id = {s.rule.id: s for s in sections}
    limits = {s.rule.id: budget(s) for s in sections}
    site_col = result.table.columns["site"]
    notes = result.waiver_notes()
    states = result.baseline
    by_rule: dict[str, list] = {}
    for g in result.groups:
        by_rule.setdefault(g.rule.id, []).append(g)
    # Rule by rule, only the rules that list something, stopping as soon as a rule is served.
    for rid in sorted(by_rule):
        limit = limits.get(rid, 0)
        if limit <= 0:
            continue
        s = by_id[rid]
        later: list = []  # with a baseline: unchanged findings, listed after the new ones
        for r in result.finding_rows(by_rule[rid]):
            if not wanted(r):
                continue
            if states is None or states.get(r.fingerprint, "new") == "new":
                s.rows.append(finding_row(result, r, site_col.value(r.row), notes))
                if len(s.rows) >= limit:
                    break
            elif len(later) < limit:
                later.append(r)
        # New findings first within each rule: a reader comparing with the last audit sees what
        # changed before what did not. Report order is kept inside each of the two parts.
        for r in later[: max(0, limit - len(s.rows))]:
            s.rows.append(finding_row(result, r, site_col.value(r.row), notes))


def rule_meta(rule: Rule, as_of) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "kind": rule.kind.value,
        "severity": rule.severity.label,
        "version": rule.version,
        "sha256": rule.sha256,
        "confidence": rule.confidence,
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else "",
        "effective_until": rule.effective_until.isoformat() if rule.effective_until else "",
        "in_force": rule.in_force(as_of),
        "references": rule.references,
        "remediation": rule.remediation,
    }


def base_view(result: AuditResult, rejected_cap: int) -> dict[str, Any]:
    doc = header(result)
    summary = doc["summary"]
    rejected = rejected_rows(result)
    tariff = charts.tariff_rows(result.tariff)
    assets = summary["assets"] or 0
    note = screening_note(result)
    sections = rule_sections(result)
    return {
        "doc": doc,
        "summary": summary,
        "audit_id": audit_id(doc),
        "rules_digest": rules_digest(doc),
        "organisation": result.organisation or "",
        "severities": SEVERITIES,
        "share_with_findings": (100.0 * summary["assets_with_findings"] / assets) if assets else 0.0,
        "charts": {
            "severity": charts.severity_chart(summary["by_severity"]),
            # Each rule at the severity its findings were raised at (a match on a sanctions list
            # is critical whatever the screening rule's own severity).
            "rules": charts.rule_chart(summary["by_rule"], result.rules, found={s.rule.id: s.severity for s in sections},
                                       found_by_severity={s.rule.id: s.by_severity for s in sections}),
            "countries": charts.country_chart(result.table),
            "tariff": charts.tariff_chart(tariff, doc["as_of"]),
        },
        "countries": [(charts.country_name(c), n) for c, n in charts.country_counts(result.table)],
        "tariff": tariff,
        "tariff_view": tariff_section(result),
        "usd": charts.usd,
        "rules_meta": [rule_meta(r, result.as_of) for r in sorted(result.rules, key=lambda r: r.id)],
        "rejected": rejected[:rejected_cap],
        "rejected_total": len(rejected),
        "sections": sections,
        "baseline": baseline_view(result, summary, doc),
        "list_groups": list_groups(doc["inputs"]["lists"]),
        "shown_path": shown_path,
        "research_date": research_date(doc),
        "actions_cap": 10,
        # "N parties, M rigs": distinct listed parties and rigs, whatever the number of screen rules.
        "party_count": distinct_parties(summary.get("screening_parties") or []),
        # Next to the status: what the names were (not) screened against, as report.md words it.
        "screening_note": note,
        "screening_caveat": screening_caveat(note),
    }


def tariff_section(result: AuditResult) -> dict[str, Any] | None:
    """The tariff section: the table by origin and programme, the caveats, and the first rigs
    (the HTML page shows them in a collapsible table; every rig is in tariff_rigs.csv)."""
    t = result.tariff
    if t is None:
        return None
    return {
        "rows": tariff_view.table_rows(t),
        "date_note": t.date_note(),
        "not_estimated": tariff_view.not_estimated_text(t),
        "notes": [text for _id, text in t.notes],
        "note": t.note,
        "as_of": t.as_of.isoformat(),
        "rigs_judged": tariff_view.rigs_judged(t),
        "rigs": list(tariff_view.rig_rows(result, limit=TARIFF_RIGS_CAP)),
        "rigs_cap": TARIFF_RIGS_CAP,
    }


def research_date(doc: dict[str, Any]) -> str | None:
    """The date the law in the reference data was last researched, as the report header states it."""
    value = doc.get("law_researched")
    return str(value) if value else None


def shown_path(path: str) -> str:
    """A local path as a report shows it (auditor/public_names.py): file name, or relative as given."""
    return public_name(path)


def list_groups(lists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lists gathered by the file they came from (same source and SHA-256): one CSL import holds a dozen lists."""
    groups: dict[tuple, dict[str, Any]] = {}
    for li in lists:
        key = (li["source"], li["sha256"], li.get("retrieved"))
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"source": li["source"], "sha256": li["sha256"],
                               "retrieved": li.get("retrieved"), "names": [], "entries": 0}
        g["names"].append((li["name"], int(li.get("entries") or 0)))
        g["entries"] += int(li.get("entries") or 0)
    return sorted(groups.values(), key=lambda g: (g["source"], g["sha256"]))


def baseline_view(result: AuditResult, summary: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any] | None:
    """What the reports say about the comparison with a baseline; None without one."""
    counts = summary.get("baseline")
    if counts is None:
        return None
    src = result.baseline_source or BaselineSource()
    if src.run is not None:
        against, detail = "the last audit", f"run {src.run}{', as of ' + src.as_of if src.as_of else ''}"
    else:
        against, detail = "the baseline", shown_path(src.baseline) if src.baseline else ""
    absent = []
    for f in doc.get("absent_findings", []):
        a = f.get("asset") or {}
        absent.append({"rule": str(f.get("rule_id") or ""), "asset": str(a.get("serial") or a.get("key") or ""),
                       "severity": str(f.get("severity") or ""), "message": str(f.get("message") or "")})
    return {**counts, "against": against, "against_detail": detail, "absent_rows": absent}
