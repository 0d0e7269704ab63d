"""findings.csv: one row per finding, streamed, safe to open in a spreadsheet.

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

from auditor.model import AuditResult, canonical_json

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

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        site_col = result.table.columns["site"]
        cache: dict[int, str] = {}
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(COLUMNS)
            for row, fd in result.iter_findings_with_rows():
                ev = cache.get(id(fd.evidence))
                if ev is None:  # shared by every finding of a group: serialise once
                    ev = cache[id(fd.evidence)] = neutralise(canonical_json(dict(fd.evidence)))
                refs = cache.get(id(fd.references))
                if refs is None:
                    refs = cache[id(fd.references)] = neutralise(
                        "; ".join(r.title + (f" <{r.url}>" if r.url else "") for r in fd.references))
                site = site_col.value(row)
                w.writerow((
                    fd.fingerprint, neutralise(fd.rule_id), neutralise(fd.title), fd.kind, fd.severity.label, fd.status,
                    neutralise(fd.serial or ""), neutralise(fd.asset_key), neutralise(fd.source), fd.line,
                    neutralise("" if site is None else str(site)), neutralise(fd.message), ev, refs,
                    neutralise(canonical_json(dict(fd.waiver))) if fd.waiver is not None else "",
                    fd.baseline_state or "",
                ))
        return path


FORMAT = CsvFormat()
