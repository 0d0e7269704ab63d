"""Holding the inventory against what the rigs said: pure, no I/O, no clock.

`observe(table, snapshot)` appends one *observed row* per snapshot record of a device that
said something about itself (its make, serial or MAC) to the audited table — source the
snapshot file, line the record's line, columns as the device reported them — and returns
the `Observed` evidence the `device` check reads: which declared row each device joins to
(by serial, then by MAC) and the record behind each observed row. Appending rows keeps one
shape for every finding: a finding on a declared rig points at its inventory line, one on a
device nobody declared at its snapshot line; and the firmware advisories run on the observed
rows evaluate what the device *reports*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

import numpy as np

from auditor.model import Column, InventoryTable

# Who made the hardware a make name stands for (inventory `manufacturer` column).
MAKER = {"Antminer": "Bitmain", "Whatsminer": "MicroBT", "Avalon": "Canaan"}


@dataclass(frozen=True)
class DeviceRecord:
    line: int
    data: Mapping[str, Any]

    @property
    def address(self) -> str:
        return str(self.data.get("address"))

    def says_who(self) -> bool:
        d = self.data
        return bool(d.get("make") or d.get("serial") or d.get("mac"))


@dataclass
class Observed:
    """The device side of an audit, as the `device` check reads it (ctx.refdata.devices)."""

    snapshot: str  # path as given
    records: list[DeviceRecord]
    first_row: int  # table rows from here on are observed rows
    record_of_row: dict[int, int] = field(default_factory=dict)  # observed row -> record index
    row_of_record: dict[int, int] = field(default_factory=dict)  # record index -> observed row
    join: dict[int, tuple[int, str]] = field(default_factory=dict)  # record index -> (declared row, "serial"|"mac")

    def declared_row(self, record_index: int) -> int | None:
        hit = self.join.get(record_index)
        return hit[0] if hit else None

    def observed_row(self, record_index: int) -> int | None:
        return self.row_of_record.get(record_index)

    def sites(self) -> set[str]:
        return {str(r.data["site"]) for r in self.records if r.data.get("site")}


def norm_serial(value: Any) -> str | None:
    return str(value).strip().upper() or None if value is not None else None


_MAC_HEX = re.compile(r"[^0-9A-Fa-f]")


def norm_mac(value: Any) -> str | None:
    """Twelve upper-case hex digits, or None when the value is not a MAC address."""
    if value is None:
        return None
    digits = _MAC_HEX.sub("", str(value))
    return digits.upper() if len(digits) == 12 else None


def observed_row(rec: DeviceRecord) -> dict[str, Any]:
    d = rec.data
    return {
        "serial": d.get("serial"),
        "manufacturer": MAKER.get(d.get("make") or "", d.get("make")),
        "model": d.get("model"),
        "firmware": d.get("firmware"),
        "firmware_version": d.get("firmware_version"),
        "mac": d.get("mac"),
        "site": d.get("site"),
    }


def observe(table: InventoryTable, snapshot_path: str, records: list[DeviceRecord]) -> tuple[InventoryTable, Observed]:
    """The table with observed rows appended, and the join of devices to declared rows."""
    n = len(table)
    obs = Observed(snapshot=snapshot_path, records=records, first_row=n)
    by_serial: dict[str, int] = {}
    by_mac: dict[str, int] = {}
    serials, macs = table.columns["serial"], table.columns["mac"]
    for i in range(table.declared_rows):  # first declaration wins; a rejected row declares nothing
        s = norm_serial(serials.value(i))
        if s:
            by_serial.setdefault(s, i)
        m = norm_mac(macs.value(i))
        if m:
            by_mac.setdefault(m, i)
    rows = []
    for k, rec in enumerate(records):
        if not rec.says_who():
            continue
        s, m = norm_serial(rec.data.get("serial")), norm_mac(rec.data.get("mac"))
        if s and s in by_serial:
            obs.join[k] = (by_serial[s], "serial")
        elif m and m in by_mac:
            obs.join[k] = (by_mac[m], "mac")
        obs.record_of_row[n + len(rows)] = k
        obs.row_of_record[k] = n + len(rows)
        rows.append((observed_row(rec), rec.line))
    extended = _append(table, snapshot_path, rows)
    extended.observed_from = n
    return extended, obs


def _append(table: InventoryTable, source: str, rows: list[tuple[dict[str, Any], int]]) -> InventoryTable:
    """`table` plus `rows` (dicts of parsed values) from one more source, dictionaries merged."""
    columns: dict[str, Column] = {}
    for name, col in table.columns.items():
        values = list(col.values)
        index = {v: c for c, v in enumerate(values)}
        extra = []
        for row, _ in rows:
            v = row.get(name)
            code = index.get(v)
            if code is None:
                code = index[v] = len(values)
                values.append(v)
            extra.append(code)
        codes = np.concatenate([col.codes.astype(np.uint32), np.asarray(extra, dtype=np.uint32)])
        columns[name] = Column(values, codes)
    lines = np.concatenate([table.lines, np.asarray([ln for _, ln in rows], dtype=np.int64)])
    src = np.concatenate([table.source_index, np.full(len(rows), len(table.sources), dtype=np.int32)])
    return InventoryTable(columns=columns, lines=lines, source_index=src, sources=[*table.sources, source],
                          rejected_from=table.rejected_from, rejected_reasons=table.rejected_reasons)


def snapshot_age_days(records: list[DeviceRecord], as_of: date) -> int | None:
    """Days between the newest observation and the audit date (None without timestamps)."""
    days = [date.fromisoformat(str(r.data["observed_at"])[:10]) for r in records if r.data.get("observed_at")]
    return (as_of - max(days)).days if days else None


def corroborate(table: InventoryTable, rules, refdata, as_of: date, snapshot_path: str, max_age_days: int,
                warnings: list[str], rule_timeout_s: float | None = None, *, sources=None,
                allow_missing: frozenset[str] = frozenset(), rejected=()):
    """Evaluate an audit with a device snapshot: (table with observed rows, Evaluation).

    Inventory rules see the inventory rows only; `device` rules see both sides; firmware
    advisory rules are also run on the observed rows, so an advisory is judged on the
    firmware the device reports as well as on the one declared.
    """
    from auditor.devices.snapshot import read_snapshot
    from auditor.engine.evaluate import evaluate
    from auditor.model import RefDataSource
    from auditor.public_names import public_name

    snap = read_snapshot(snapshot_path)
    records = [DeviceRecord(r.line, r.data) for r in snap.records]
    inventory_rules = [r for r in rules if r.check_kind != "device"]
    # Rule coverage is judged on the declared inventory (the snapshot is not an inventory file).
    evaluation = evaluate(table, inventory_rules, refdata, as_of, sources=sources, allow_missing=allow_missing,
                          time_budget_s=rule_timeout_s, rejected=rejected)
    if evaluation.table is not None:  # the rejected rows screened (engine/rejected.py), before the observed
        table = evaluation.table
    extended, observed = observe(table, public_name(snapshot_path), records)
    refdata.devices = observed
    refdata.sources.append(RefDataSource(kind="device_snapshot", path=public_name(snapshot_path),
                                         sha256=snap.sha256))
    on_observed = [r for r in rules if r.check_kind == "device"
                   or (r.check_kind == "firmware" and getattr(r.check, "test", None) == "advisory")]
    second = evaluate(extended, on_observed, refdata, as_of, time_budget_s=rule_timeout_s)
    for g in second.groups:
        if g.rule.check_kind != "device":
            g.rows = g.rows[g.rows >= observed.first_row]  # the declared rows were judged above
            if not len(g.rows):
                continue
        evaluation.groups.append(g)
    evaluation.errors.extend(second.errors)
    # The device rules ran here only (the firmware rules' coverage is the declared inventory's).
    device_rules = {r.id for r in on_observed if r.check_kind == "device"}
    evaluation.coverage.extend(c for c in second.coverage if c.rule_id in device_rules)
    age = snapshot_age_days(records, as_of)
    if age is not None and age > max_age_days:
        warnings.append(f"device snapshot {public_name(snapshot_path)} was observed {age} days before the audit date "
                        f"(more than {max_age_days}): the devices may have changed since")
    if age is not None and age < 0:
        warnings.append(f"device snapshot {public_name(snapshot_path)} was observed after the audit date {as_of}")
    answered = sum(1 for r in records if r.says_who())
    evaluation.devices = {
        "snapshot": public_name(snapshot_path), "addresses": len(records), "identified": answered,
        "joined": len(observed.join), "undeclared": answered - len(observed.join),
        "observed_from": min((str(r.data["observed_at"]) for r in records), default=None),
        "observed_to": max((str(r.data["observed_at"]) for r in records), default=None),
        "age_days": age,
    }
    return extended, evaluation
