"""Consolidated Screening List, official `consolidated.json` (trade.gov).

The download is `{"results": [record, …], …}` (a bare array is accepted too); list-valued
fields (`alt_names`, `programs`, `addresses`) come as arrays, addresses as objects with
`address`, `city`, `state`, `postal_code`, `country`. Strings in those places (as in the
CSV) are accepted and split on `;`. Records have no line of their own in a JSON file, so
errors name the record as `results[i]`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from auditor.refdata.importers.base import FileHead, ImportResult, ListFormatError, clean, read_text, split_list
from auditor.refdata.importers.csl_common import make_entry


def _strings(value: Any, where: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return split_list(value)
    if isinstance(value, list):
        out: dict[str, None] = {}
        for item in value:
            if not isinstance(item, str):
                raise ListFormatError(path, f"{where}: expected a list of strings, found {type(item).__name__}")
            if clean(item):
                out.setdefault(item.strip(), None)
        return tuple(out)
    raise ListFormatError(path, f"{where}: expected a list or a string, found {type(value).__name__}")


def _addresses(value: Any, where: str, path: Path) -> tuple[tuple[str, ...], str | None]:
    if value is None or isinstance(value, str):
        return split_list(value), None
    if not isinstance(value, list):
        raise ListFormatError(path, f"{where}: expected a list of addresses, found {type(value).__name__}")
    out: dict[str, None] = {}
    country = None
    for item in value:
        if isinstance(item, str):
            if clean(item):
                out.setdefault(item.strip(), None)
            continue
        if not isinstance(item, dict):
            raise ListFormatError(path, f"{where}: address is a {type(item).__name__}, not an object")
        parts = [clean(str(item.get(k) or "")) for k in ("address", "city", "state", "postal_code", "country")]
        text = ", ".join(p for p in parts if p)
        if text:
            out.setdefault(text, None)
        country = country or clean(str(item.get("country") or "")) or None
    return tuple(out), country


def _text(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return str(value)


class CslJsonImporter:
    name = "csl-json"
    slot = "csl"
    description = "trade.gov Consolidated Screening List, consolidated.json"

    def sniff(self, head: FileHead) -> bool:
        return head.text.lstrip().startswith(("{", "["))

    def parse(self, path: Path) -> ImportResult:
        text = read_text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ListFormatError(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
        records = data.get("results") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise ListFormatError(path, 'not a CSL JSON file: expected {"results": [...]} or an array of records')
        entries, warnings, counts = [], [], Counter()
        for i, record in enumerate(records):
            where = f"results[{i}]"
            if not isinstance(record, dict):
                raise ListFormatError(path, f"{where}: expected an object, found {type(record).__name__}")
            name = clean(_text(record, "name"))
            if not name:
                raise ListFormatError(path, f"{where}: record has no name")
            section = clean(_text(record, "source"))
            if not section:
                raise ListFormatError(path, f"{where}: record has no source list")
            addresses, country = _addresses(record.get("addresses"), f"{where}.addresses", path)

            def warn(field: str, message: str, _where=where) -> None:
                warnings.append(f"{path}: {_where}.{field}: {message}")

            entries.append(
                make_entry(
                    section=section,
                    csl_id=clean(_text(record, "id") or _text(record, "_id")) or f"record-{i}",
                    name=name,
                    alt_names=_strings(record.get("alt_names"), f"{where}.alt_names", path),
                    type_=_text(record, "type"),
                    programs=_strings(record.get("programs"), f"{where}.programs", path),
                    addresses=addresses,
                    country=country,
                    start=_text(record, "start_date"),
                    end=_text(record, "end_date"),
                    federal_register_notice=_text(record, "federal_register_notice"),
                    source_url=_text(record, "source_information_url") or _text(record, "source_list_url"),
                    remarks=_text(record, "remarks"),
                    title=_text(record, "title"),
                    warn=warn,
                )
            )
            counts[section] += 1
        return ImportResult(entries=entries, counts=dict(sorted(counts.items())), warnings=warnings, rows=len(records))
