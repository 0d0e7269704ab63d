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
from pathlib import Path

from auditor.formats.tariff_view import RIG_COLUMNS, rig_rows
from auditor.model import AuditResult, canonical_json
from auditor.output import create_file

TARIFF_FILENAME = "tariff_rigs.csv"

COLUMNS = (
    "fingerprint", "rule_id", "title", "kind", "severity", "status", "serial", "asset_key", "file", "line",
    "site", "message", "evidence", "references", "waiver", "baseline_state",
)

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would read as a formula with an apostrophe."""
    return "'" + cell if cell.startswith(_DANGEROUS) else cell


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
        cache: dict[int, tuple] = {}
        with create_file(path, encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(COLUMNS)
            sources = result.table.sources
            waivers, baseline = result.waivers, result.baseline
            for r in result.iter_finding_rows():
                g = r.group
                fixed = cache.get(id(g))
                if fixed is None:  # shared by every finding of a group: prepare once
                    rule = g.rule
                    refs = "; ".join(c.title + (f" <{c.url}>" if c.url else "") for c in rule.references)
                    fixed = cache[id(g)] = (neutralise(rule.id), neutralise(rule.title), rule.kind.value,
                                            g.effective_severity.label, neutralise(g.message), neutralise(refs))
                ev = neutralise(r.evidence_json)  # a JSON object: "{", kept for safety
                fp = r.fingerprint
                waiver = waivers.get(fp) if waivers else None
                site = site_col.value(r.row)
                w.writerow((
                    fp, fixed[0], fixed[1], fixed[2], fixed[3], "open" if waiver is None else "waived",
                    neutralise(r.serial or ""), neutralise(r.key), neutralise(sources[r.source]), r.line,
                    neutralise("" if site is None else str(site)), fixed[4], ev, fixed[5],
                    neutralise(canonical_json(dict(waiver))) if waiver is not None else "",
                    baseline.get(fp, "new") if baseline is not None else "",
                ))
        return path

    @staticmethod
    def _write_tariff(result: AuditResult, path: Path) -> None:
        with create_file(path, encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(RIG_COLUMNS)
            for row in rig_rows(result):
                w.writerow([c if isinstance(c, int) else neutralise(str(c)) for c in row])


FORMAT = CsvFormat()
