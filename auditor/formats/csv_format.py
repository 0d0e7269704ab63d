"""findings.csv: one row per finding, streamed, safe to open in a spreadsheet; tariff_rigs.csv:
the estimated duty on every rig (formats/tariff_view.py), in the same dialect.

Encoding UTF-8 with a byte-order mark (so Excel reads non-ASCII supplier names correctly),
RFC 4180 quoting, CRLF line ends, columns in the fixed order of COLUMNS.

Formula injection (CWE-1236): a spreadsheet evaluates a cell that starts with `=`, `+`, `-`
or `@` as a formula, and tab / carriage return at the start of a cell are used to smuggle
one past naive checks. Every text cell starting with one of those characters is written with
a leading apostrophe (`'=HYPERLINK(...)`), which spreadsheets display as text and which
tools reading the CSV can strip. Numeric columns (line) are never prefixed. report.json
carries the unaltered values.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from auditor.formats.tariff_view import RIG_COLUMNS, rig_rows
from auditor.model import AuditResult, canonical_json
from auditor.output import create_file

TARIFF_FILENAME = "tariff_rigs.csv"

COLUMNS = (
    "fingerprint", "rule_id", "title", "kind", "severity", "status", "serial", "asset_key", "file", "line",
    "site", "message", "evidence", "references", "waiver", "baseline_state",
    "rejected_row",  # why the row was rejected from the audit (its names screened all the same); else empty
)

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would read as a formula with an apostrophe."""
    return "'" + cell if cell.startswith(_DANGEROUS) else cell


# A field csv.writer (QUOTE_MINIMAL, "\r\n") writes as it is: no delimiter, quote or line break.
_PLAIN = re.compile(r'[^,"\r\n]*')


def cell(text: str) -> str:
    """One text field of a findings.csv row, neutralised and quoted exactly as csv.writer quotes it."""
    text = neutralise(text)
    if _PLAIN.fullmatch(text):
        return text
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow((text, ""))
    return out.getvalue()[:-3]  # without the empty second field's "," and the line end


class CsvFormat:
    name = "csv"
    filename = "findings.csv"
    # Per-rig duty estimates are figures, not findings: one row per rig, written beside findings.csv
    # (header only when no tariff rule ran).
    extra_filenames = (TARIFF_FILENAME,)

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        self._write_tariff(result, Path(out_dir) / TARIFF_FILENAME)
        path = Path(out_dir) / self.filename
        site_col = result.table.columns["site"]
        sources = [cell(s) for s in result.table.sources]
        sites: dict[int, str] = {}
        waivers, baseline = result.waivers, result.baseline
        # What findings share is formatted (neutralised, quoted) once: a group's rule, message
        # and references, each distinct evidence object. Per finding only the rig's own fields
        # are: 1.3 KB a row, most of it evidence, is written without csv.writer scanning it again.
        fixed: dict[int, tuple[str, str]] = {}
        evidence: dict[str, str] = {}
        table = result.table
        rejected_from = table.rejected_from if table.rejected_from is not None else len(table)
        with create_file(path, encoding="utf-8-sig", newline="") as f:
            f.write(",".join(COLUMNS) + "\r\n")
            lines: list[str] = []
            for r in result.iter_finding_rows():
                g = r.group
                head_tail = fixed.get(id(g))
                if head_tail is None:
                    rule = g.rule
                    refs = "; ".join(c.title + (f" <{c.url}>" if c.url else "") for c in rule.references)
                    head_tail = fixed[id(g)] = (
                        f"{cell(rule.id)},{cell(rule.title)},{cell(rule.kind.value)},{cell(g.effective_severity.label)}",
                        cell(g.message), cell(refs))
                ev = evidence.get(r.evidence_json)
                if ev is None:
                    ev = evidence[r.evidence_json] = cell(r.evidence_json)  # a JSON object: "{", kept for safety
                fp = r.fingerprint
                waiver = waivers.get(fp) if waivers else None
                code = int(site_col.codes[r.row])
                site = sites.get(code)
                if site is None:
                    value = site_col.values[code]
                    site = sites[code] = cell("" if value is None else str(value))
                lines.append(
                    f"{fp},{head_tail[0]},{'open' if waiver is None else 'waived'},{cell(r.serial or '')},{cell(r.key)},"
                    f"{sources[r.source]},{r.line},{site},{head_tail[1]},{ev},{head_tail[2]},"
                    f"{cell(canonical_json(dict(waiver))) if waiver is not None else ''},"
                    f"{cell(baseline.get(fp, 'new')) if baseline is not None else ''},"
                    f"{cell(table.rejected_reason(r.row) or '') if r.row >= rejected_from else ''}\r\n")
                if len(lines) >= 10_000:
                    f.write("".join(lines))
                    lines.clear()
            f.write("".join(lines))
        return path

    @staticmethod
    def _write_tariff(result: AuditResult, path: Path) -> None:
        with create_file(path, encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(RIG_COLUMNS)
            for row in rig_rows(result):
                w.writerow([c if isinstance(c, int) else neutralise(str(c)) for c in row])


FORMAT = CsvFormat()
