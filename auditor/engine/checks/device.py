"""`check = "device"`: the inventory held against what the rigs reported (`audit --devices`).

Config ([device] table): test = one of
    "serial"       swap or clone: a device at a declared MAC reports another serial, a declared
                   serial answers at another MAC, or one serial answers at two addresses
    "model"        the reported model differs from the declared one
    "firmware"     the reported firmware family or version differs from the declared one
    "undeclared"   a device on the scanned network that no inventory row declares
    "not_seen"     a declared rig of a scanned site that no device answered for
    "privileged"   the cgminer privileged API answered the scanner: open to any address
    "component"    one hashboard or PSU serial reported by two devices

Devices are joined to declared rows by serial, then by MAC (auditor/devices/corroborate.py).
A finding sits on the declared row when the device joins one (asset: inventory file:line),
else on the device's observed row (asset: snapshot file:line). Both sides are in the
message — declared file:line and values, observed address, time and values — and in the
evidence without the volatile parts (time, lines), so that a re-scan keeps fingerprints.
Without a snapshot every device rule finds nothing.

Message placeholders: {declared} {observed} {detail}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from auditor.devices.corroborate import Observed, norm_mac, norm_serial
from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.render import render
from auditor.model import FindingGroup, InventoryTable, Rule

TESTS = ("serial", "model", "firmware", "undeclared", "not_seen", "privileged", "component")
DECLARED_FIELDS = ("serial", "mac", "model", "firmware", "firmware_version", "site")
OBSERVED_FIELDS = ("address", "serial", "mac", "make", "model", "firmware", "firmware_version")
# Words that name the make, not the model: "Antminer S21 Pro" and "S21 Pro" are one model.
MAKE_WORDS = re.compile(r"\b(antminer|bitmain|whatsminer|microbt|avalonminer|avalon|canaan)\b")


@dataclass(frozen=True)
class DeviceConfig:
    test: str


def model_key(value: Any) -> str:
    text = MAKE_WORDS.sub(" ", str(value or "").casefold())
    return re.sub(r"[^0-9a-z+]+", "", text)


def family_key(value: Any) -> str:
    text = str(value or "").casefold()
    if any(w in text for w in ("lux",)):
        return "luxos"
    if any(w in text for w in ("braiins", "bos")):
        return "braiins"
    if any(w in text for w in ("vnish", "anthill")):
        return "vnish"
    return "stock" if text else ""


class DeviceCheck:
    name = "device"
    table = "device"
    kinds = frozenset({"device"})
    message_vars = frozenset({"declared", "observed", "detail"})

    def parse(self, spec: Any, where: Where) -> DeviceConfig:
        if not isinstance(spec, dict):
            raise where.error("[device] must be a table")
        unknown = sorted(set(spec) - {"test"})
        if unknown:
            raise where.error(f"[device] unknown key {unknown[0]!r} (allowed: test)", unknown[0], "device")
        if spec.get("test") not in TESTS:
            raise where.error(f"[device] test must be one of: {', '.join(TESTS)}", "test", "device")
        return DeviceConfig(spec["test"])

    def fields(self, config: DeviceConfig) -> tuple[str, ...]:
        return DECLARED_FIELDS

    def not_applicable(self, rule: Rule, ctx: EvalContext) -> str | None:
        if getattr(ctx.refdata, "devices", None) is None:
            return "no device snapshot given (audit --devices): the rigs' own answers were not compared"
        return None

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        obs: Observed | None = getattr(ctx.refdata, "devices", None)
        if obs is None:
            return []
        test: Callable[[Rule, InventoryTable, Observed], list[FindingGroup]] = getattr(self, "_" + rule.check.test)
        return test(rule, table, obs)

    # --- the two sides --------------------------------------------------------------------

    @staticmethod
    def _declared(table: InventoryTable, row: int) -> dict[str, Any]:
        values = {f: table.columns[f].value(row) for f in DECLARED_FIELDS}
        return {k: (str(v) if v is not None else None) for k, v in values.items()}

    @staticmethod
    def _where(table: InventoryTable, row: int) -> str:
        return f"{table.sources[table.source_index[row]]}:{table.lines[row]}"

    def _finding(self, rule: Rule, table: InventoryTable, obs: Observed, k: int | None, row: int | None,
                 detail: str, key: dict[str, Any]) -> FindingGroup:
        """One finding: on the declared row when there is one, else on the device's observed row."""
        rec = obs.records[k] if k is not None else None
        declared = self._declared(table, row) if row is not None else None
        observed = {f: rec.data.get(f) for f in OBSERVED_FIELDS} if rec else None
        decl_text = (f"{self._where(table, row)} (" + ", ".join(f"{f} {v}" for f, v in declared.items() if v) + ")"
                     if declared and row is not None else "no inventory row")
        obs_text = (f"{rec.address} at {rec.data.get('observed_at')} ({obs.snapshot}:{rec.line}; "
                    + ", ".join(f"{f} {rec.data.get(f)}" for f in OBSERVED_FIELDS[1:] if rec.data.get(f)) + ")"
                    if rec else f"no device answered in the scan of {obs.snapshot}")
        message = render(rule.message, {"declared": decl_text, "observed": obs_text, "detail": detail})
        evidence = {"check": rule.check.test, "declared": declared, "observed": observed, **key}
        target = row if row is not None else (obs.observed_row(k) if k is not None else None)
        assert target is not None, "a finding needs a declared row or an observed device"
        return FindingGroup(rule, np.asarray([target], dtype=np.int64), message, evidence)

    def _joined(self, obs: Observed) -> Iterator[tuple[int, Any, int, str]]:
        for k, (row, how) in sorted(obs.join.items()):
            yield k, obs.records[k], row, how

    # --- the tests ------------------------------------------------------------------------

    def _serial(self, rule: Rule, table: InventoryTable, obs: Observed) -> list[FindingGroup]:
        out = []
        serials, macs = table.columns["serial"], table.columns["mac"]
        for k, rec, row, how in self._joined(obs):
            reported_s, reported_m = norm_serial(rec.data.get("serial")), norm_mac(rec.data.get("mac"))
            declared_s, declared_m = norm_serial(serials.value(row)), norm_mac(macs.value(row))
            if how == "mac" and reported_s and declared_s and reported_s != declared_s:
                out.append(self._finding(rule, table, obs, k, row,
                                         f"the device at the declared MAC reports serial {rec.data.get('serial')}, "
                                         f"not the declared {serials.value(row)}", {"conflict": "serial_at_mac"}))
            elif how == "serial" and reported_m and declared_m and reported_m != declared_m:
                out.append(self._finding(rule, table, obs, k, row,
                                         f"the declared serial answers at MAC {rec.data.get('mac')}, "
                                         f"not the declared {macs.value(row)}", {"conflict": "mac_of_serial"}))
        seen: dict[str, list[int]] = {}
        for k, rec in enumerate(obs.records):
            s = norm_serial(rec.data.get("serial"))
            if s:
                seen.setdefault(s, []).append(k)
        for _serial, ks in sorted(seen.items()):
            if len(ks) > 1:
                others = ", ".join(obs.records[j].address for j in ks)
                for k in ks:
                    out.append(self._finding(rule, table, obs, k, obs.declared_row(k),
                                             f"serial {obs.records[k].data.get('serial')} answers at {len(ks)} "
                                             f"addresses ({others})", {"conflict": "serial_at_two_addresses"}))
        return out

    def _model(self, rule: Rule, table: InventoryTable, obs: Observed) -> list[FindingGroup]:
        out = []
        models = table.columns["model"]
        for k, rec, row, _ in self._joined(obs):
            reported, declared = rec.data.get("model"), models.value(row)
            if reported and declared and model_key(reported) != model_key(declared):
                out.append(self._finding(rule, table, obs, k, row,
                                         f"the device reports model {reported}, the inventory declares {declared}", {}))
        return out

    def _firmware(self, rule: Rule, table: InventoryTable, obs: Observed) -> list[FindingGroup]:
        out = []
        fam, ver = table.columns["firmware"], table.columns["firmware_version"]
        for k, rec, row, _ in self._joined(obs):
            r_fam, r_ver = rec.data.get("firmware"), rec.data.get("firmware_version")
            d_fam, d_ver = fam.value(row), ver.value(row)
            diffs = []
            if r_fam and d_fam and family_key(r_fam) != family_key(d_fam):
                diffs.append(f"firmware {r_fam} (declared {d_fam})")
            if r_ver and d_ver and str(r_ver).strip().casefold() != str(d_ver).strip().casefold():
                diffs.append(f"version {r_ver} (declared {d_ver})")
            if diffs:
                out.append(self._finding(rule, table, obs, k, row, "the device reports " + "; ".join(diffs), {}))
        return out

    def _undeclared(self, rule: Rule, table: InventoryTable, obs: Observed) -> list[FindingGroup]:
        return [self._finding(rule, table, obs, k, None, "no inventory row has its serial or MAC", {})
                for k, rec in enumerate(obs.records) if rec.says_who() and k not in obs.join]

    def _not_seen(self, rule: Rule, table: InventoryTable, obs: Observed) -> list[FindingGroup]:
        sites = obs.sites()
        if not sites:
            return []  # the scan named no site: what it covered is unknown, nothing is "not seen"
        seen = {row for row, _ in obs.join.values()}
        site_col = table.columns["site"]
        out = []
        for row in range(table.declared_rows):  # declared rigs: neither rejected rows nor observed devices
            site = site_col.value(row)
            if site is not None and str(site) in sites and row not in seen:
                out.append(self._finding(rule, table, obs, None, row,
                                         f"site {site} was scanned and no device answered with this rig's serial or MAC",
                                         {"site": str(site)}))
        return out

    def _privileged(self, rule: Rule, table: InventoryTable, obs: Observed) -> list[FindingGroup]:
        return [self._finding(rule, table, obs, k, obs.declared_row(k),
                              "the cgminer API granted privileged access to the scanner", {})
                for k, rec in enumerate(obs.records) if rec.data.get("api_privileged_open") is True]

    def _component(self, rule: Rule, table: InventoryTable, obs: Observed) -> list[FindingGroup]:
        owners: dict[tuple[str, str], list[int]] = {}
        for k, rec in enumerate(obs.records):
            for c in rec.data.get("components") or []:
                s = norm_serial(c.get("serial"))
                if s and c.get("kind") in ("hashboard", "psu"):
                    ks = owners.setdefault((c["kind"], s), [])
                    if k not in ks:
                        ks.append(k)
        out = []
        for (kind, s), ks in sorted(owners.items()):
            if len(ks) < 2:
                continue
            where = ", ".join(obs.records[j].address for j in ks)
            for k in ks:
                out.append(self._finding(rule, table, obs, k, obs.declared_row(k),
                                         f"{kind} serial {s} is reported by {len(ks)} devices ({where})",
                                         {"component": kind, "component_serial": s}))
        return out


CHECK = DeviceCheck()
