"""report.md: a short Markdown summary for a CI job summary or a pull-request comment.

Order: verdict, totals, new findings first (with a baseline), top rules, then the findings
that fail the gate, then the path of the full reports. Always at most MAX_CHARS characters
(GitHub rejects comments longer than 65,536): sections are cut with a "… N more" line.

Every piece of inventory text (serials, suppliers, messages built from cells) goes through
`md_escape`, so a hostile cell cannot inject markup: HTML becomes inert entities, Markdown
punctuation is backslash-escaped (pipes included, so table cells stay cells), line breaks
become spaces and `@` is followed by an invisible word joiner so that `@team` pings nobody; the
same joiner after `http`, `mailto`, `www` … keeps a bare URL from becoming a link.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from auditor.engine.checks.screen import distinct_parties
from auditor.formats.document import list_coverage
from auditor.formats.tariff_view import usd
from auditor.gate import Gate
from auditor.model import AuditResult, Finding, Severity, TariffExposure
from auditor.output import write_text
from auditor.public_names import is_private

# Listed parties shown in the summary table (all are in report.json).
MAX_PARTIES = 20
MAX_WARNINGS = 20  # run warnings listed (all are in report.json)

MAX_CHARS = 65_536
MAX_CELL = 300  # a single cell never dominates the summary
TOP_RULES = 10
_RESERVE = 2_000  # kept for the closing lines whatever the sections used

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Inline markup only: escaped text never starts a line (it sits in table cells and after
# "- "), so block syntax (#, -, +, 1.) cannot start. `$` starts GitHub math, `~` strikethrough,
# `!` + `[` an image, `|` ends a table cell.
_MD_PUNCT = re.compile(r"([\\`*_\[\]|~$!])")


# What GitHub turns into a link without any markup (GFM "extended autolinks"): a scheme such as
# http:// or mailto:, and www. — a word joiner after the scheme or "www" keeps them plain text.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|xmpp|file|javascript|data|www)(?=[:.])")


def md_escape(value: object, limit: int = MAX_CELL) -> str:
    text = " ".join(str(value).split())  # line breaks and tabs: one space
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = "".join(_HTML.get(c, c) for c in text)
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = _AUTOLINK.sub("\\1\u2060", text)
    return text.replace("@", "@\u2060")


class _Writer:
    """Appends lines while the budget allows; remembers whether anything was cut."""

    def __init__(self, budget: int):
        self.lines: list[str] = []
        self.size = 0
        self.budget = budget

    def fits(self, line: str) -> bool:
        return self.size + len(line) + 1 <= self.budget

    def add(self, line: str = "") -> bool:
        if not self.fits(line):
            return False
        self.lines.append(line)
        self.size += len(line) + 1
        return True


def _sev(s: Severity) -> str:
    return s.label.upper()


def _finding_row(f: Finding) -> str:
    where = f"{md_escape(f.source, 120)}:{f.line}"
    if f.rejected is not None:  # a rejected row's names, screened all the same (engine/rejected.py)
        where += " (rejected row)"
    return (f"| {_sev(f.severity)} | {md_escape(f.rule_id, 40)} | {md_escape(f.asset_key, 80)} | {where} "
            f"| {md_escape(f.message)} |")


_FINDING_HEAD = ("| severity | rule | asset | file:line | message |", "|---|---|---|---|---|")


class MarkdownFormat:
    name = "md"
    filename = "report.md"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        write_text(path, render(result, out_dir))
        return path


def render(result: AuditResult, out_dir: Path | str = "report") -> str:
    gate = Gate.of(result)
    summary = result.summary()
    with_baseline = result.baseline is not None
    failing: list[Finding] = []
    new: list[Finding] = []
    n_failing = n_new = 0
    new_by_sev: Counter = Counter()
    rule_counts: dict[str, Counter] = defaultdict(Counter)
    keep = 2_000  # enough rows to fill the page; counts are exact regardless
    for f in result.iter_findings():
        rc = rule_counts[f.rule_id]
        rc["all"] += 1
        rc[f.status] += 1
        rc["severity"] = max(rc["severity"], int(f.severity))
        if gate.counts(f):
            n_failing += 1
            rc["failing"] += 1
            if len(failing) < keep:
                failing.append(f)
        if with_baseline and f.baseline_state == "new":
            n_new += 1
            rc["new"] += 1
            if f.status == "open":
                new_by_sev[f.severity.label] += 1
            if len(new) < keep:
                new.append(f)
    failing.sort(key=lambda f: (-int(f.severity), f.rule_id, f.source, f.line))
    new.sort(key=lambda f: (-int(f.severity), f.rule_id, f.source, f.line))

    if not result.complete:
        verdict, icon = "INCOMPLETE — the audit did not check everything (exit 3)", "⚠️"
    elif n_failing:
        verdict, icon = f"FAIL — {n_failing} finding(s) fail the gate (exit 1)", "❌"
    else:
        verdict, icon = "PASS — nothing fails the gate (exit 0)", "✅"

    w = _Writer(MAX_CHARS - _RESERVE)
    w.add(f"## {icon} auditor: {verdict}")
    w.add()
    files = ", ".join(md_escape(s.path, 120) for s in result.inventory)
    w.add(f"Audit as of **{result.as_of.isoformat()}** of {files}. Gate: {gate.describe()}.")
    if researched := result.law_researched:
        w.add(f"Law researched as of **{researched}**"
              + (": the audit date is later, the law may have changed since." if result.as_of.isoformat() > researched else "."))
    w.add()
    w.add(f"**{summary['rows_read']}** rows read, **{summary['rows_audited']}** audited, "
          f"**{summary['rows_rejected']}** rejected · **{summary['findings']}** findings on "
          f"**{summary['assets_with_findings']}** of {summary['assets']} assets"
          + (f" and **{summary['rejected_rows_with_findings']}** rejected row(s)"
             if summary.get("rejected_rows_with_findings") else "")
          + f" · {summary['waived']} waived")
    w.add()
    for reason in result.incomplete_reasons:
        w.add(f"> **INCOMPLETE:** {md_escape(reason, 500)}")
    if result.incomplete_reasons:
        w.add()
    note = None
    if (coverage := list_coverage(result)) is not None:
        if note := coverage.note():
            w.add(f"> **Screening lists:** {md_escape(note, 800)}")
        else:
            w.add(f"> **Screening lists:** names were screened against the official lists imported "
                  f"({md_escape(coverage.screened(), 500)}).")
        w.add()
    # Every other warning of the run, as the HTML summary shows them (a list newer than the
    # audit date, an inventory given twice …): a green gate with a caveat must show the caveat.
    warnings = [x for x in sorted(result.warnings) if x != note]
    if warnings:
        w.add("> **Warnings:**")
        for text in warnings[:MAX_WARNINGS]:
            w.add(f"> - {md_escape(text, 500)}")
        if len(warnings) > MAX_WARNINGS:
            w.add(f"> - … and {len(warnings) - MAX_WARNINGS} more in report.json (`warnings`)")
        w.add()
    skipped = result.not_evaluated()
    if skipped:
        w.add("> **Rules not evaluated** (a field they need is missing; no finding of theirs means nothing):")
    for line in skipped:
        w.add(f"> - {md_escape(line, 500)}")
    if skipped:
        w.add()

    # Totals by severity.
    heads = ["severity", "findings", "open", "waived"] + (["new (open)"] if with_baseline else [])
    w.add("| " + " | ".join(heads) + " |")
    w.add("|" + "---|" * len(heads))
    for s in sorted(Severity, reverse=True):
        total, open_ = summary["by_severity"][s.label], summary["open_by_severity"][s.label]
        cells = [_sev(s), str(total), str(open_), str(total - open_)]
        if with_baseline:
            cells.append(str(new_by_sev[s.label]))
        w.add("| " + " | ".join(cells) + " |")
    w.add()
    _parties(w, summary.get("screening_parties") or [], summary.get("screening_party_rigs", 0))
    if result.tariff is not None:
        _tariff(w, result.tariff)

    cut = 0
    if with_baseline:
        w.add(f"### New since the baseline ({n_new})")
        w.add()
        if new:
            cut += _table(w, new, n_new)
        else:
            w.add("No new findings.")
        if result.absent:
            w.add()
            w.add(f"{len(result.absent)} baseline finding(s) are gone (fixed or removed).")
        w.add()

    rules = {r.id: r for r in result.rules}
    if rule_counts:
        w.add("### Top rules")
        w.add()
        w.add("| rule | gravest severity | title | findings | open | waived |" + (" new |" if with_baseline else ""))
        w.add("|---|---|---|---|---|---|" + ("---|" if with_baseline else ""))
        # Most severe first (severity order everywhere), then the rules failing the gate most.
        ordered = sorted(rule_counts.items(),
                         key=lambda kv: (-kv[1]["severity"], -kv[1]["failing"], -kv[1]["all"], kv[0]))
        for rule_id, c in ordered[:TOP_RULES]:
            rule = rules.get(rule_id)
            sev = _sev(Severity(c["severity"]))
            title = md_escape(rule.title if rule else "", 120)
            row = f"| {md_escape(rule_id, 40)} | {sev} | {title} | {c['all']} | {c['open']} | {c['waived']} |"
            w.add(row + (f" {c['new']} |" if with_baseline else ""))
        if len(ordered) > TOP_RULES:
            w.add()
            w.add(f"… and {len(ordered) - TOP_RULES} more rule(s) with findings.")
        w.add()

    if n_failing:
        w.add(f"### Findings that fail the gate ({n_failing})")
        w.add()
        cut += _table(w, failing, n_failing)
        w.add()

    _cleared(w, summary.get("cleared_matches") or [], summary.get("clearances_not_applied") or [])

    if summary["rows_rejected"]:
        w.add(f"### Rows not audited ({summary['rows_rejected']})")
        w.add()
        shown = 0
        for r in sorted(result.rejected, key=lambda r: (r.source, r.line))[:50]:
            names = ("; names screened all the same: " + ", ".join(f"{c} {v}" for c, v in r.parties)
                     if r.parties else "")
            if not w.add(f"- {md_escape(r.source, 120)}:{r.line}: {md_escape(r.reason + names)}"):
                break
            shown += 1
        if summary["rows_rejected"] > shown:
            w.add(f"- … and {summary['rows_rejected'] - shown} more")
        w.add()

    # The closing lines always fit: they were kept out of the sections' budget.
    tail = []
    if cut:
        tail.append(f"_{cut} finding row(s) not shown to keep this summary under {MAX_CHARS:,} characters._")
        tail.append("")
    outputs = result.outputs or ("report.json",)
    # The folder as given when it is relative (a CI job's `report/`); an absolute one names the
    # machine, so the files are then named alone (they sit beside this one).
    folder = "" if is_private(str(out_dir)) else Path(out_dir).as_posix().rstrip("/") + "/"
    links = ", ".join(md_escape(folder + name, 200) for name in outputs)
    tail.append(f"Full report: {links}")
    text = "\n".join(w.lines + tail) + "\n"
    assert len(text) <= MAX_CHARS
    return text


def _table(w: _Writer, findings: list[Finding], total: int) -> int:
    """Add a findings table; return how many rows did not fit (or were not kept)."""
    for line in _FINDING_HEAD:
        w.add(line)
    shown = 0
    for f in findings:
        # Leave room for the "… more" line after the table.
        row = _finding_row(f)
        if w.size + len(row) + 200 > w.budget:
            break
        w.add(row)
        shown += 1
    if total > shown:
        w.add()
        w.add(f"… and {total - shown} more (see the full report).")
    return total - shown


FORMAT = MarkdownFormat()


def _tariff(w: "_Writer", t: TariffExposure, limit: int = 10) -> None:
    """The estimated duty by claimed origin (figures, not findings), with the import-date caveat."""
    w.add(f"### Estimated tariff exposure (USD {usd(t.exposure_usd)} at import, "
          f"USD {usd(t.exposure_as_of_usd)} at the rates of {t.as_of.isoformat()})")
    w.add()
    if note := t.date_note():
        w.add(f"> **Import dates missing:** {md_escape(note, 500)}")
        w.add()
    w.add(f"| origin | rigs | declared value (USD) | duty at import (USD) | duty on {t.as_of.isoformat()} (USD) |")
    w.add("|---|---|---|---|---|")
    for o in t.by_origin[:limit]:
        w.add(f"| {md_escape(o.origin, 10)} | {o.rigs:,} | {usd(o.declared_value_usd)} | {usd(o.duty_at_import_usd)} | "
              f"{usd(o.duty_as_of_usd)} |")
    if len(t.by_origin) > limit:
        w.add(f"| … {len(t.by_origin) - limit} more origin(s) | | | | |")
    w.add(f"| **total** | {t.rigs_estimated:,} | {usd(t.declared_value_usd)} | {usd(t.exposure_usd)} | "
          f"{usd(t.exposure_as_of_usd)} |")
    w.add()
    w.add("Estimates: confirm with a licensed customs broker. By programme in report.json (`tariff_exposure`); "
          "per rig in tariff_rigs.csv and rigs.parquet.")
    w.add()


def _parties(w: "_Writer", parties: list[dict], rigs: int) -> None:
    """Listed parties matched, each once, before the per-finding rows (screen check)."""
    if not parties:
        return
    count = distinct_parties(parties)  # a party two screen rules matched is one party
    w.add(f"### Listed parties matched: {count} {'party' if count == 1 else 'parties'}, "
          f"{rigs} rig{'' if rigs == 1 else 's'}")
    w.add()
    w.add("| listed party | severity | lists | matched values | rigs |")
    w.add("|---|---|---|---|---|")
    for p in parties[:MAX_PARTIES]:
        # As in HTML and PDF: the listed name a value matched, when it is another of the party's
        # names, and the score of that match.
        matched = "; ".join(f"{m['field']} {m['value']} ("
                            + (f"as {m['matched_name']}, " if m["matched_name"] != p["party"] else "")
                            + f"score {m['score']:.2f})" for m in p["matched"])
        rejected = f" ({p['rejected_rows']} on rejected rows)" if p.get("rejected_rows") else ""
        w.add(f"| {md_escape(p['party'], 120)} | {p['severity']} | {md_escape('; '.join(p['lists']), 300)} | "
              f"{md_escape(matched, 300)} | {p['rigs']}{rejected} |")
    if len(parties) > MAX_PARTIES:
        w.add(f"| … {len(parties) - MAX_PARTIES} more in report.json (`summary.screening_parties`) | | | | |")
    w.add()


def _entry(c: dict) -> str:
    return f"{c['listed_name']} ({c['list']}, #{c['entity_id']})"


def _cleared(w: "_Writer", cleared: list[dict], not_applied: list[dict], limit: int = 50) -> None:
    """Reviewed screening decisions (docs/CLEARED.md): the matches they cleared, and those that
    did not apply (review date passed, decision dated after the audit or before the listing)."""
    if cleared:
        w.add(f"### Cleared screening matches ({len(cleared)})")
        w.add()
        w.add("Reviewed false positives: no finding is raised; every decision stays visible.")
        w.add()
        w.add("| field | inventory value | list entry | score | rigs | reviewer, date | review by | justification |")
        w.add("|---|---|---|---|---|---|---|---|")
        for c in cleared[:limit]:
            w.add(f"| {md_escape(c['field'], 40)} | {md_escape(c['value'], 120)} | "
                  f"{md_escape(_entry(c), 300)} | {c['score']:.2f} | "
                  f"{c['rigs']} | {md_escape(c['reviewer'] + ', ' + c['decided'], 120)} | {md_escape(c['review_by'], 20)} | "
                  f"{md_escape(c['justification'])} |")
        if len(cleared) > limit:
            w.add(f"| … {len(cleared) - limit} more in report.json (`summary.cleared_matches`) | | | | | | | |")
        w.add()
    if not_applied:
        w.add(f"### Cleared decisions not applied ({len(not_applied)})")
        w.add()
        w.add("These recorded decisions cleared nothing in this audit: the findings they name stand, and a decision "
              "that matched no finding (no rigs) may carry a mistyped entity id.")
        w.add()
        w.add("| field | inventory value | list entry | rigs | why not |")
        w.add("|---|---|---|---|---|")
        for c in not_applied[:limit]:
            w.add(f"| {md_escape(c['field'], 40)} | {md_escape(c['value'], 120)} | "
                  f"{md_escape(_entry(c), 300)} | {c['rigs']} | "
                  f"{md_escape(c['note'])} |")
        if len(not_applied) > limit:
            w.add(f"| … {len(not_applied) - limit} more in report.json (`summary.clearances_not_applied`) | | | | |")
        w.add()
