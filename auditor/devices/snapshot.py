"""The device snapshot: JSON Lines, one record per address asked (schema: snapshot.schema.json).

`dumps_record` is the one way a record becomes a line; `read_snapshot` reads a snapshot
back for `audit --devices`, checking every line against the shipped schema and naming the
file, line and field of anything wrong.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from auditor.errors import location


class SnapshotError(ValueError):
    """A snapshot file that cannot be used (exit 2): names the file and line."""


@dataclass(frozen=True)
class SnapshotRecord:
    line: int
    data: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    path: str
    sha256: str
    records: tuple[SnapshotRecord, ...]


def dumps_record(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(resources.files("auditor.devices").joinpath("snapshot.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema(), format_checker=FormatChecker())


def validation_errors(record: Any) -> list[str]:
    """Human-readable schema violations of one record ("components[0].kind: 'fan' is not one of …")."""
    out = []
    for err in sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path)):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path).lstrip(".")
        out.append(f"{where or 'record'}: {err.message}")
    return out


def read_snapshot(path: str | Path) -> Snapshot:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read the device snapshot: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"{path}: not UTF-8 (byte {exc.start})") from None
    records = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SnapshotError(f"{location(path, n, exc.colno)}: not JSON: {exc.msg}") from None
        problems = validation_errors(value)
        if problems:
            raise SnapshotError(f"{location(path, n)}: not a device snapshot record: {problems[0]}")
        records.append(SnapshotRecord(n, value))
    if not records:
        raise SnapshotError(f"{path}: the device snapshot has no record")
    return Snapshot(str(path), hashlib.sha256(raw).hexdigest(), tuple(records))


# --- records in rule self-tests ---------------------------------------------------------------

TEST_DEFAULTS: dict[str, Any] = {
    "reachable": True, "observed_at": "2026-01-01T00:00:00Z", "make": None, "model": None, "serial": None,
    "mac": None, "hostname": None, "firmware": None, "firmware_version": None, "api_privileged_open": None,
    "components": [], "errors": [],
}


def test_record(partial: dict[str, Any]) -> dict[str, Any]:
    """A full snapshot record from the few fields a rule's self-test gives (TOML has no null)."""
    out = {**TEST_DEFAULTS, **partial}
    out["components"] = [{"kind": "hashboard", "slot": None, "serial": None, "model": None, "version": None,
                          "lot_codes": [], **c} for c in out["components"]]
    return out


def test_record_errors(partial: dict[str, Any]) -> list[str]:
    return validation_errors(test_record(partial))
