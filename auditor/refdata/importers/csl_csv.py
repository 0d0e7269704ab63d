"""Consolidated Screening List, official `consolidated.csv` (trade.gov).

Real defects survived: the header row repeated inside the data (reported as a warning with
its line), `; `-separated `alt_names` / `addresses` / `programs`, and a last record cut
off mid-cell (a truncated download): kept with the fields present, reported as a warning.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from auditor.refdata.importers.base import (
    FileHead,
    ImportResult,
    ListFormatError,
    clean,
    column_of,
    iter_csv,
    read_text,
    split_list,
)
from auditor.refdata.importers.csl_common import make_entry

REQUIRED = ("_id", "source", "name")


class CslCsvImporter:
    name = "csl-csv"
    slot = "csl"
    description = "trade.gov Consolidated Screening List, consolidated.csv"

    def sniff(self, head: FileHead) -> bool:
        return set(REQUIRED) <= set(head.header)  # read_head removed any byte-order mark

    def parse(self, path: Path) -> ImportResult:
        text = read_text(path)
        rows = list(iter_csv(path, text))
        header = [h.strip().lstrip("\ufeff") for h in rows[0].cells]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ListFormatError(
                path, f"not a CSL CSV: header lacks {', '.join(missing)} (is --format right?)", rows[0].line
            )
        col = {name: i for i, name in enumerate(header)}
        width = len(header)
        entries, warnings, counts = [], [], Counter()
        data_rows = 0
        for index, row in enumerate(rows[1:], start=1):
            cells = row.cells
            if [c.strip() for c in cells] == header:
                warnings.append(f"{path}:{row.line}: repeated header row skipped")
                continue
            if len(cells) != width:
                last = index == len(rows) - 1
                if last and len(cells) < width:
                    warnings.append(
                        f"{path}:{row.line}: last record truncated ({len(cells)} of {width} fields, "
                        "file cut off?); kept with the fields present"
                    )
                    cells = cells + [""] * (width - len(cells))
                else:
                    raise ListFormatError(
                        path,
                        f"expected {width} fields as in the header, found {len(cells)}",
                        row.line,
                        column_of(cells, min(len(cells), width)),
                    )
            data_rows += 1

            def get(field: str) -> str | None:
                i = col.get(field)
                return cells[i] if i is not None else None  # noqa: B023 (called within this iteration)

            name = clean(get("name"))
            if not name:
                raise ListFormatError(path, "record has no name", row.line, column_of(cells, col["name"]))
            section = clean(get("source"))
            if not section:
                raise ListFormatError(path, "record has no source list", row.line, column_of(cells, col["source"]))

            def warn(field: str, message: str, _row=row, _cells=cells) -> None:
                c = column_of(_cells, col[field]) if field in col else None
                warnings.append(f"{path}:{_row.line}:{c}: {field}: {message}")

            entries.append(
                make_entry(
                    section=section,
                    csl_id=clean(get("_id")) or f"line-{row.line}",
                    name=name,
                    alt_names=split_list(get("alt_names")),
                    type_=get("type"),
                    programs=split_list(get("programs")),
                    addresses=split_list(get("addresses")),
                    country=None,
                    start=get("start_date"),
                    end=get("end_date"),
                    federal_register_notice=get("federal_register_notice"),
                    source_url=get("source_information_url") or get("source_list_url"),
                    remarks=get("remarks"),
                    title=get("title"),
                    warn=warn,
                )
            )
            counts[section] += 1
        return ImportResult(entries=entries, counts=dict(sorted(counts.items())), warnings=warnings, rows=data_rows)
