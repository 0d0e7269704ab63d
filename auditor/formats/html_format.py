"""report.html: one self-contained page that works offline, with or without JavaScript.

- Static content (summary, SVG charts, each rule with its first `PER_RULE` findings,
  rejected rows, methodology) is rendered server-side from the shared partials, so the page
  is readable with JavaScript off and prints sensibly.
- Every finding is embedded once as compact JSON in <script type="application/json">; the
  inline script (reports/templates/report.js) filters, sorts, searches and pages it, so a
  100k-finding fleet never builds 100k DOM rows.
- No request of any kind: CSS, script, data and charts are inline and the CSP forbids
  everything else; the script is allowed by its SHA-256 only, so neither inline event
  handlers nor injected <script> elements could run even if some markup slipped through.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from auditor.formats.report_view import base_view, fill_rows
from auditor.formats.templates import environment, templates_dir
from auditor.model import AuditResult, canonical_json
from auditor.output import write_text

# Findings per rule on the static (no-JavaScript) page; the interactive table has them all.
PER_RULE = 10
REJECTED_CAP = 1000
ABSENT_CAP = 1000  # baseline findings no longer present, listed on the page (all are in report.json)

# Row layout of the embedded data; report.js reads the same positions.
# The last three are optional: `waiver` (string index, -1 none) when waived or when the row carries
# the next two; `new` (1 new against the baseline, 0 unchanged, -1 no baseline) and `note` (string
# index of an expired-waiver note, -1 none) only when a baseline was given or a note exists.
ROW_FIELDS = ("rule", "severity", "waived", "asset", "file", "line", "site", "message", "evidence", "fingerprint",
              "waiver", "new", "note")


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a <script> element whatever the strings contain.

    `<`, `>` and `&` are written as \\u escapes, so no `</script>`, `<!--` or `<script` sequence
    can appear in the element (HTML's script-data parsing looks for exactly those); U+2028/2029
    are escaped for old JavaScript parsers. JSON.parse gives back the original text.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


class _Interner:
    """Shared strings (file names, sites, messages, evidence) stored once, referenced by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.strings: list[str] = []

    def __call__(self, text: str | None) -> int:
        if text is None:
            return -1
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.strings)
            self.strings.append(text)
        return i


def findings_data(result: AuditResult) -> dict[str, Any]:
    """Every finding, in report order, as compact rows plus a shared string table."""
    rules = sorted({g.rule.id: g.rule for g in result.groups}.values(), key=lambda r: r.id)
    rule_index = {r.id: i for i, r in enumerate(rules)}
    strings = _Interner()
    site_col = result.table.columns["site"]
    files = [strings(src) for src in result.table.sources]
    waivers = result.waivers
    states = result.baseline
    notes = result.waiver_notes()
    per_group: dict[int, tuple[int, int, int]] = {}
    rows = []
    for r in result.iter_finding_rows():
        g = r.group
        fixed = per_group.get(id(g))
        if fixed is None:
            fixed = per_group[id(g)] = (rule_index[g.rule.id], int(g.effective_severity), strings(g.message))
        site = site_col.value(r.row)
        waiver = waivers.get(r.fingerprint) if waivers else None
        out = [fixed[0], fixed[1], 0 if waiver is None else 1, r.serial or r.key, files[r.source], r.line,
               strings(None if site is None else str(site)), fixed[2], strings(r.evidence_json), r.fingerprint]
        note = notes.get(r.fingerprint) if notes else None
        if waiver is not None or states is not None or note is not None:
            out.append(strings(canonical_json(dict(waiver))) if waiver is not None else -1)
        if states is not None or note is not None:
            new = -1 if states is None else (1 if states.get(r.fingerprint, "new") == "new" else 0)
            out += [new, strings(note)]
        rows.append(out)
    return {
        "fields": list(ROW_FIELDS),
        "rules": [{"id": r.id, "title": r.title, "kind": r.kind.value, "version": r.version,
                   "remediation": r.remediation, "refs": [[c.title, c.url] for c in r.references]} for r in rules],
        "strings": strings.strings,
        "rows": rows,
        "baseline": states is not None,
    }


def _asset(name: str) -> str:
    return (templates_dir() / name).read_text(encoding="utf-8")


def context(result: AuditResult) -> dict[str, Any]:
    view = base_view(result, REJECTED_CAP)
    fill_rows(result, view["sections"], wanted=lambda f: True, budget=lambda s: PER_RULE)
    for s in view["sections"]:
        if s.omitted:
            s.listed_note = (f"First {len(s.rows)} of {s.count:,} findings. All are in the interactive table above, "
                             f"in findings.csv and in report.json.")
    js = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    view.update(
        css=Markup(_asset("report.css")),
        js=Markup(js),
        script_hash=f"sha256-{digest}",
        data=script_json(findings_data(result)),
        per_rule=PER_RULE,
        absent_cap=ABSENT_CAP,
        print_media=False,
    )
    return view


class HtmlFormat:
    name = "html"
    filename = "report.html"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        html = environment().get_template("report.html.j2").render(**context(result))
        write_text(path, html)
        return path


FORMAT = HtmlFormat()
