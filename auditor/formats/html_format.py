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

from auditor.formats.json_format import string_array_bytes
from auditor.formats.report_view import base_view, fill_rows
from auditor.formats.templates import environment, templates_dir
from auditor.model import AuditResult, InventoryTable, canonical_json
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
# Beside the rows, `rejected`: [position, reason] for each finding on a REJECTED row, a row not
# audited whose party names were screened all the same (engine/rejected.py); the position is
# the finding's index in `rows`, the reason a string index. Such findings are few (screening
# matches on rejected rows), so they are listed apart rather than widen every row.


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
    rejected: list[tuple[int, str]] = []
    table = result.table
    for r in result.iter_finding_rows():
        reason = table.rejected_reason(r.row)
        if reason is not None:
            rejected.append((len(rows), reason))
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
        "rules": _rules_data(rules),
        "rejected": [[at, strings(reason)] for at, reason in rejected],  # interned after every row
        "strings": strings.strings,
        "rows": rows,
        "baseline": states is not None,
    }


def data_json(result: AuditResult) -> Markup:
    """findings_data(result) as script_json writes it. The common case of a big fleet (no
    waivers, no baseline, no notes) is formatted column-wise: a million findings took 15 s
    one list at a time; the same bytes (a test compares both paths)."""
    if result.waivers or result.baseline is not None or result.waiver_notes():
        return script_json(findings_data(result))
    rules = sorted({g.rule.id: g.rule for g in result.groups}.values(), key=lambda r: r.id)
    strings = _Interner()
    files = [strings(src) for src in result.table.sources]
    rows = []
    rejected: list[tuple[int, str]] = []
    offset = 0  # of each block's first finding in `rows`
    for c in map(result.finding_columns, result.finding_blocks()):
        rows.append(_row_chunk(result, c, {r.id: i for i, r in enumerate(rules)}, strings, files))
        rejected += _rejected_positions(result.table, c.rows, offset)
        offset += len(c.rows)
    doc = {"fields": list(ROW_FIELDS), "rules": _rules_data(rules),
           "rejected": [[pos, strings(reason)] for pos, reason in rejected], "strings": strings.strings, "rows": [],
           "baseline": False}
    text = str(script_json(doc))
    at = text.index('"rows":[]') + len('"rows":[')  # the top-level key: sorted before "rules", "strings"
    body = ",".join(chunk for chunk in rows if chunk)
    return Markup(text[:at] + body + text[at:])


def _rejected_positions(table: InventoryTable, rows: list[int], offset: int) -> list[tuple[int, str]]:
    """(offset + i, reason) for each rows[i] that is a rejected row screened all the same."""
    import numpy as np

    hits = np.flatnonzero(table.rejected_mask(rows)).tolist()
    return [(offset + i, table.rejected_reasons[rows[i] - table.rejected_from]) for i in hits]


def _rules_data(rules: list[Any]) -> list[dict[str, Any]]:
    return [{"id": r.id, "title": r.title, "kind": r.kind.value, "version": r.version,
             "remediation": r.remediation, "refs": [[c.title, c.url] for c in r.references]} for r in rules]


# Text JSON and HTML script data take as it is between quotes: printable ASCII without '"', '\',
# '<', '>' and '&' (script_json escapes those three).
_SCRIPT_SAFE = r'^[ !#-%\'-;=?-\[\]-~]*$'


def _first_positions(x: Any, k: int) -> tuple[Any, Any]:
    """The values 0 <= v < k that x holds, ascending, and where each first occurs: np.unique's
    (values, return_index) without sorting a million positions (x is group or site codes)."""
    import numpy as np

    first = np.full(k, len(x), dtype=np.int64)
    np.minimum.at(first, x, np.arange(len(x), dtype=np.int64))
    present = np.flatnonzero(first < len(x))
    return present, first[present]


def _row_chunk(result: AuditResult, c: Any, rule_index: dict[str, int], strings: _Interner, files: list[int]) -> str:
    """The rows of one report-order block as JSON array text, interning strings in the order
    findings_data meets them: per row its group's message (first row of the group), site, evidence."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(c.rows)
    if not n:
        return ""
    gis = np.asarray(c.group_index, dtype=np.int64)
    site_col = result.table.columns["site"]
    site_codes = site_col.codes[np.asarray(c.rows, dtype=np.int64)].astype(np.int64)
    fps, ev_of_row = c.fingerprints()
    # First occurrences, as (position, slot, text); interned in that order.
    found: list[tuple[int, int, str]] = []
    _, first = _first_positions(gis, len(c.groups))
    for pos in first.tolist():
        g = c.groups[c.group_index[pos]]
        found.append((pos, 0, g.message))
        if ev_of_row is None:
            found.append((pos, 2, c.identities[c.group_index[pos]].shared[1]))
    codes, first = _first_positions(site_codes, len(site_col.values))
    for code, pos in zip(codes.tolist(), first.tolist()):
        value = site_col.values[code]
        if value is not None:
            found.append((pos, 1, str(value)))
    if ev_of_row is not None:
        seen: set[str] = set()
        for pos, ev in enumerate(ev_of_row):
            if ev not in seen:
                seen.add(ev)
                found.append((pos, 2, ev))
    found.sort(key=lambda f: (f[0], f[1]))
    for _, _, text in found:
        strings(text)
    index = strings.index
    site_of = {code: (index[str(site_col.values[code])] if site_col.values[code] is not None else -1)
               for code in codes.tolist()}
    site_idx = pa.array([site_of[code] for code in site_codes.tolist()], type=pa.int64()) if len(site_of) > 1 \
        else pa.array(np.full(n, next(iter(site_of.values())), dtype=np.int64))
    if ev_of_row is None:
        ev_idx = pa.array([index[i.shared[1]] for i in c.identities], type=pa.int64()).take(pa.array(gis))
    else:
        ev_idx = pa.array([index[ev] for ev in ev_of_row], type=pa.int64())
    head = pa.array([f"[{rule_index[g.rule.id]},{int(g.effective_severity)},0," for g in c.groups]).take(pa.array(gis))
    msg = pa.array([index[g.message] for g in c.groups], type=pa.int64()).take(pa.array(gis))
    assets = [s or k for s, k in zip(c.serials, c.keys)]
    asset_arr = pa.array(assets, type=pa.string())
    if pc.all(pc.match_substring_regex(asset_arr, _SCRIPT_SAFE)).as_py():
        asset_json = pc.binary_join_element_wise('"', asset_arr, '"', "")
    else:
        asset_json = pa.array([str(script_json(a)) for a in assets], type=pa.string())
    joined = pc.binary_join_element_wise(
        ",", head, asset_json, ",",
        pa.array(files).take(pa.array(c.sources, type=pa.int32())).cast(pa.string()), ",",
        pa.array(c.lines, type=pa.int64()).cast(pa.string()), ",",
        site_idx.cast(pa.string()), ",", msg.cast(pa.string()), ",", ev_idx.cast(pa.string()), ',"',
        pa.array(fps, type=pa.string()), '"]',
        "",
    )
    # Every row comes as ",[…]": the text of the whole array, without the first comma.
    return string_array_bytes(joined).decode("utf-8")[1:]


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
        data=data_json(result),
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
