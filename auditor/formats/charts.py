"""Server-side charts as inline SVG: no chart library, no script, nothing fetched at view time.

Every chart is a horizontal bar chart whose bars carry their category name and value as
text, so colour is never the only carrier of meaning (WCAG 1.4.1); each SVG has a <title>
and a <desc> naming every value, referenced by aria-labelledby, so a screen reader reads
the figures rather than "image". The same SVG is embedded in the HTML page and the PDF.

Output is a deterministic string for the same input (fixed geometry, sorted categories,
fixed number formatting).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from markupsafe import Markup, escape

from auditor.model import InventoryTable, Rule, Severity, TariffExposure

WIDTH = 600
LABEL_W = 200  # left column for category names
VALUE_W = 100  # right column for the value text
BAR_H = 16
ROW_H = 24
TOP = 8
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

SEVERITY_COLOURS = {
    "critical": "#7a0019",
    "high": "#b3261e",
    "medium": "#a15c00",
    "low": "#35608f",
    "info": "#4d5560",
}
NEUTRAL = "#3b5b7a"
# Tariff chart: the two series differ in fill *and* pattern (solid vs hatched) and are named
# in a legend and in every bar's value text.
SERIES_FILL = ("#3b5b7a", "#a15c00")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as printed next to the bar
    colour: str = NEUTRAL
    note: str = ""  # appended to the category label, e.g. the severity word


def _fmt_int(n: int) -> str:
    return f"{n:,}"


def _fmt_usd(v: Decimal) -> str:
    return f"USD {v:,.0f}"


def _truncate(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg_open(chart_id: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], unit: str) -> Markup:
    """One bar per category, longest bar = largest value; empty charts say so in words."""
    if not bars:
        height = 40
        parts = _svg_open(chart_id, height, title, f"{title}: none.")
        parts.append(f'<text x="0" y="24" fill="#1d2430">No {escape(unit)} to chart.</text>')
        parts.append("</svg>")
        return Markup("".join(parts))
    height = TOP * 2 + ROW_H * len(bars)
    desc = f"{title}: " + "; ".join(f"{b.label}{' (' + b.note + ')' if b.note else ''}: {b.text}" for b in bars) + "."
    parts = _svg_open(chart_id, height, title, desc)
    top = max((b.value for b in bars), default=0) or 1
    span = WIDTH - LABEL_W - VALUE_W
    for i, b in enumerate(bars):
        y = TOP + i * ROW_H
        w = 0 if b.value <= 0 else max(1.0, span * b.value / top)
        label = _truncate(b.label) + (f" ({b.note})" if b.note else "")
        parts.append(
            f'<g><text x="{LABEL_W - 8}" y="{y + BAR_H - 3}" text-anchor="end" fill="#1d2430">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{b.colour}"/>'
            f'<text x="{LABEL_W + w + 6:.1f}" y="{y + BAR_H - 3}" fill="#1d2430">{escape(b.text)}</text></g>'
        )
    parts.append(
        f'<line x1="{LABEL_W}" y1="{TOP - 2}" x2="{LABEL_W}" y2="{height - TOP + 2}" stroke="#5b6472" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def severity_chart(by_severity: Mapping[str, int]) -> Markup:
    bars = [
        Bar(s.label.capitalize(), by_severity.get(s.label, 0), _fmt_int(by_severity.get(s.label, 0)),
            SEVERITY_COLOURS[s.label])
        for s in sorted(Severity, reverse=True)
    ]
    return bar_chart("chart-severity", "Findings by severity", bars, "findings")


def rule_chart(by_rule: Mapping[str, int], rules: Iterable[Rule], limit: int = 20,
               found: Mapping[str, Severity] | None = None,
               found_by_severity: Mapping[str, Mapping[str, int]] | None = None) -> Markup:
    """Rules with findings that need action, most severe first, then most findings (ties by rule id);
    the tail folds into one bar. Informational rules (info) are figures, counted apart: a per-rig
    estimate must not lead the chart. ``found``: the gravest severity of each rule's findings,
    when it is not the rule's own (a screening rule's match on a sanctions list is critical);
    ``found_by_severity``: each rule's findings per severity label, so a rule whose findings
    were raised at several reads "1 critical, 3 high", not "critical" beside all four."""
    levels = {r.id: r.severity for r in rules} | dict(found or {})
    sev = {rid: s.label for rid, s in levels.items()}
    for rid, counts in (found_by_severity or {}).items():
        raised = [f"{counts[s.label]} {s.label}" for s in sorted(Severity, reverse=True) if counts.get(s.label)]
        if len(raised) > 1:
            sev[rid] = ", ".join(raised)
    items = sorted(((rid, n) for rid, n in by_rule.items() if levels.get(rid, Severity.LOW) > Severity.INFO),
                   key=lambda kv: (-int(levels.get(kv[0], Severity.LOW)), -kv[1], kv[0]))
    bars = [Bar(rid, n, _fmt_int(n), SEVERITY_COLOURS.get(levels[rid].label if rid in levels else "", NEUTRAL),
                sev.get(rid, ""))
            for rid, n in items[:limit]]
    rest = items[limit:]
    if rest:
        n = sum(v for _, v in rest)
        bars.append(Bar(f"{len(rest)} other rules", n, _fmt_int(n)))
    return bar_chart("chart-rules", "Findings by rule", bars, "findings")


def country_counts(table: InventoryTable) -> list[tuple[str, int]]:
    """Rigs per claimed assembly country, computed on the column's codes (one pass, no rows)."""
    col = table.columns["assembly_country"]
    counts = np.bincount(col.codes, minlength=len(col.values)) if len(col) else np.zeros(len(col.values), int)
    out: dict[str, int] = {}
    for code, n in enumerate(counts.tolist()):
        if n:
            value = col.values[code]
            key = str(value) if value else ""
            out[key] = out.get(key, 0) + n
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


def country_name(code: str) -> str:
    if not code:
        return "not stated"
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
    except (ImportError, LookupError, KeyError):
        c = None
    return f"{code} {getattr(c, 'common_name', None) or c.name}" if c else code


def country_chart(table: InventoryTable, limit: int = 15) -> Markup:
    items = country_counts(table)
    bars = [Bar(country_name(code), n, _fmt_int(n), NEUTRAL if code else "#8a929c") for code, n in items[:limit]]
    rest = items[limit:]
    if rest:
        n = sum(v for _, v in rest)
        bars.append(Bar(f"{len(rest)} other countries", n, _fmt_int(n)))
    return bar_chart("chart-countries", "Rigs by claimed assembly country", bars, "rigs")


# ---- tariff exposure -------------------------------------------------------------------------


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None


def tariff_rows(tariff: TariffExposure | None) -> list[dict[str, Any]]:
    """The fleet's tariff exposure per claimed origin, largest duty first (for the chart).

    Returns [] when no rule estimated tariffs.
    """
    if tariff is None:
        return []
    return [{"origin": o.origin, "name": country_name(o.origin), "rigs": o.rigs,
             "duty_at_import": o.duty_at_import_usd, "duty_as_of": o.duty_as_of_usd,
             "duty_at_import_text": _fmt_usd(o.duty_at_import_usd), "duty_as_of_text": _fmt_usd(o.duty_as_of_usd)}
            for o in tariff.by_origin]


def usd(value: Any) -> str:
    """An amount of US dollars with thousands separators ("52,746.22"); unparseable text unchanged."""
    v = _money(value)
    return f"{v:,.2f}" if v is not None else ("" if value is None else str(value))


def percent(text: str) -> str:
    """A duty rate given as a fraction (0.576 or "0.576") as a percentage ("57.6%"); other text unchanged."""
    v = _money(text)
    if v is None or text.strip().endswith("%"):
        return text
    pct = (v * 100).normalize()
    return f"{pct:f}%"


def _rate_key(text: str):
    v = _money(text.rstrip("%"))
    return (v if v is not None else Decimal(0), text)


def tariff_chart(rows: Sequence[Mapping[str, Any]], as_of: str, limit: int = 12) -> Markup | None:
    """Two bars per origin: estimated duty at each rig's import date, and at the as-of rates."""
    if not rows:
        return None
    rows = list(rows[:limit])
    pair_h = BAR_H * 2 + 2
    row_h = pair_h + 10
    legend_h = 26
    height = legend_h + TOP + row_h * len(rows)
    title = "Estimated tariff exposure by claimed origin"
    desc = f"{title} (USD): " + "; ".join(
        f"{r['name']}: {r['duty_at_import_text']} at import, {r['duty_as_of_text']} at rates as of {as_of}" for r in rows
    ) + "."
    parts = _svg_open("chart-tariff", height, title, desc)
    parts.append(
        '<defs><pattern id="chart-tariff-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4e3c9"/>'
        f'<rect width="3" height="6" fill="{SERIES_FILL[1]}"/></pattern></defs>'
    )
    parts.append(
        f'<g><rect x="40" y="4" width="14" height="12" fill="{SERIES_FILL[0]}"/>'
        f'<text x="60" y="14" fill="#1d2430">solid: duty at each import date</text>'
        f'<rect x="300" y="4" width="14" height="12" fill="url(#chart-tariff-hatch)" stroke="{SERIES_FILL[1]}"/>'
        f'<text x="320" y="14" fill="#1d2430">hatched: at rates as of {escape(as_of)}</text></g>'
    )
    top = max(max(r["duty_at_import"], r["duty_as_of"]) for r in rows) or Decimal(1)
    span = WIDTH - LABEL_W - 175  # room for "USD 1,234,567 as-of rates"
    for i, r in enumerate(rows):
        y = legend_h + TOP + i * row_h
        parts.append(
            f'<g><text x="{LABEL_W - 8}" y="{y + BAR_H + 4}" text-anchor="end" fill="#1d2430">'
            f'{escape(_truncate(r["name"]))}</text>'
        )
        for j, (key, fill, tag) in enumerate((("duty_at_import", SERIES_FILL[0], "at import"),
                                              ("duty_as_of", "url(#chart-tariff-hatch)", "as-of rates"))):
            v = r[key]
            w = 0.0 if v <= 0 else max(1.0, float(span * v / top))
            yy = y + j * (BAR_H + 2)
            stroke = f' stroke="{SERIES_FILL[1]}"' if j else ""
            parts.append(
                f'<rect x="{LABEL_W}" y="{yy}" width="{w:.1f}" height="{BAR_H}" fill="{fill}"{stroke}/>'
                f'<text x="{LABEL_W + w + 6:.1f}" y="{yy + BAR_H - 3}" fill="#1d2430">'
                f'{escape(r[key + "_text"])} {tag}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
