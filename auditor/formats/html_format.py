"""report.html: one self-contained, autoescaped page (inline CSS, no external fetches)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from auditor.formats.document import header, rejected_rows
from auditor.formats.templates import environment
from auditor.model import AuditResult, Severity

# The page lists at most this many findings per rule; report.json has them all.
MAX_PER_RULE = 200


def context(result: AuditResult) -> dict:
    head = header(result)
    rules = {r.id: r for r in result.rules}
    per_rule: dict[str, list] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for f in result.iter_findings():
        counts[f.rule_id] += 1
        if len(per_rule[f.rule_id]) < MAX_PER_RULE:
            per_rule[f.rule_id].append(f)
    sections = []
    for rule_id, n in counts.items():
        rule = rules[rule_id]
        sev = max(f.severity for f in per_rule[rule_id])
        sections.append({"rule": rule, "count": n, "findings": per_rule[rule_id], "severity": sev,
                         "truncated": n - len(per_rule[rule_id])})
    sections.sort(key=lambda s: (-int(s["severity"]), s["rule"].id))
    return {
        "doc": head,
        "summary": head["summary"],
        "sections": sections,
        "rejected": rejected_rows(result),
        "severities": [s.label for s in sorted(Severity, reverse=True)],
        "organisation": result.options.get("organisation"),
        "max_per_rule": MAX_PER_RULE,
    }


class HtmlFormat:
    name = "html"
    filename = "report.html"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        html = environment().get_template("report.html.j2").render(**context(result))
        path.write_text(html, encoding="utf-8", newline="\n")
        return path


FORMAT = HtmlFormat()
