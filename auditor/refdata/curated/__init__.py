"""The bundled curated entity list (entities.toml in this package), loaded and validated strictly.

A typo in a shipped reference file must fail loudly, not silently drop an entry: unknown
keys, missing citations, bad dates, duplicate ids and unknown confidence grades are errors
naming the file and the entry.
"""

from __future__ import annotations

import hashlib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from auditor.model import ListInfo
from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.effects import UNKNOWN_EFFECT, legal_effect
from auditor.tomlfile import TomlFileError, read_toml

BUNDLED = "entities.toml"
#: How the bundled list's `ListInfo.source` starts: reports tell it from imported lists by it.
BUNDLED_SOURCE = "bundled curated list"

_SNAPSHOT_KEYS = {"name": str, "version": str, "compiled": date, "description": str}
_ENTRY_REQUIRED = {"id", "list", "name", "source", "confidence"}
_ENTRY_KEYS: dict[str, type] = {
    "id": str,
    "list": str,
    "name": str,
    "aliases": list,
    "type": str,
    "country": str,
    "programs": list,
    "start": date,
    "end": date,
    "source": str,
    "confidence": str,
    "remarks": str,
    "legal_effect": str,
    "addresses": list,
}
CONFIDENCE = ("P", "R", "U")


class CuratedListError(ValueError):
    """The curated list file is invalid (configuration error, exit 2)."""


def bundled_path() -> Path:
    return Path(str(resources.files(__name__).joinpath(BUNDLED)))


def load_curated(path: Path | None = None) -> tuple[list[ListEntry], ListInfo]:
    """Entries of the curated list (bundled unless `path` is given) and its ListInfo for reports."""
    path = path or bundled_path()
    try:
        doc = read_toml(path, what="curated list")
    except TomlFileError as exc:
        raise CuratedListError(str(exc)) from None
    raw, data = doc.raw, doc.data
    unknown = set(data) - {"snapshot", "entry"}
    if unknown:
        raise CuratedListError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    snapshot = data.get("snapshot")
    if not isinstance(snapshot, dict):
        raise CuratedListError(f"{path}: missing [snapshot] table")
    _check_table(path, "[snapshot]", snapshot, _SNAPSHOT_KEYS, set(_SNAPSHOT_KEYS))
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise CuratedListError(f"{path}: no [[entry]] tables")
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(raw_entries, start=1):
        where = f"[[entry]] #{i}" + (f" ({item.get('id')})" if isinstance(item, dict) and item.get("id") else "")
        entries.append(_entry(path, where, item, seen))
    info = ListInfo(
        name=snapshot["name"],
        source=f"{BUNDLED_SOURCE} {path.name}, version {snapshot['version']}",
        retrieved=snapshot["compiled"].isoformat(),
        sha256=hashlib.sha256(raw).hexdigest(),
        entries=len(entries),
        legal_effect="per entry: the legal effect of the list each entry belongs to",
    )
    return entries, info


def _check_table(path: Path, where: str, table: dict, keys: dict[str, type], required: set[str]) -> None:
    unknown = set(table) - set(keys)
    if unknown:
        raise CuratedListError(f"{path}: {where}: unknown key(s): {', '.join(sorted(unknown))}")
    missing = required - set(table)
    if missing:
        raise CuratedListError(f"{path}: {where}: missing key(s): {', '.join(sorted(missing))}")
    for key, value in table.items():
        expected = keys[key]
        # tomllib gives datetime for date-times; a listing date must be a plain date.
        ok = isinstance(value, expected) and not (expected is date and hasattr(value, "hour"))
        if not ok:
            raise CuratedListError(
                f"{path}: {where}: {key} must be a {expected.__name__}, found {type(value).__name__} {value!r}"
            )
        if expected is str and not value.strip():
            raise CuratedListError(f"{path}: {where}: {key} is empty")
        if expected is list and not all(isinstance(x, str) and x.strip() for x in value):
            raise CuratedListError(f"{path}: {where}: {key} must be a list of non-empty strings")


def _entry(path: Path, where: str, item: Any, seen: set[str]) -> ListEntry:
    if not isinstance(item, dict):
        raise CuratedListError(f"{path}: {where}: expected a table")
    _check_table(path, where, item, _ENTRY_KEYS, _ENTRY_REQUIRED)
    if item["id"] in seen:
        raise CuratedListError(f"{path}: {where}: duplicate id {item['id']!r}")
    seen.add(item["id"])
    if item["confidence"] not in CONFIDENCE:
        raise CuratedListError(f"{path}: {where}: confidence must be one of P, R, U, found {item['confidence']!r}")
    start, end = item.get("start"), item.get("end")
    if start and end and end <= start:
        raise CuratedListError(f"{path}: {where}: end {end} is not after start {start}")
    country = item.get("country")
    if country is not None and not (len(country) == 2 and country.isalpha() and country.isupper()):
        raise CuratedListError(f"{path}: {where}: country must be an ISO 3166-1 alpha-2 code, found {country!r}")
    effect = item.get("legal_effect") or legal_effect(item["list"])
    if effect == UNKNOWN_EFFECT:
        raise CuratedListError(
            f"{path}: {where}: list {item['list']!r} is not a known list; give its legal_effect explicitly"
        )
    remarks = item.get("remarks", "")
    grade = f"confidence {item['confidence']}"
    return ListEntry(
        list_name=item["list"],
        entity_id=item["id"],
        name=item["name"],
        aliases=tuple(item.get("aliases", ())),
        entity_type=item.get("type"),
        country=country,
        programs=tuple(item.get("programs", ())),
        start=start,
        end=end,
        source=item["source"],
        legal_effect=effect,
        addresses=tuple(item.get("addresses", ())),
        remarks=f"{remarks}; {grade}" if remarks else grade,
    )
