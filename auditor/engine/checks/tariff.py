"""`check = "tariff"`: estimated US duty per rig from the dated schedule ([tariff] table).

For each distinct (assembly_country, hts_code, import_date) the stack of programmes in force
on the import date (the audit date when the rig has none) is computed once; the duty on each
distinct declared value is computed once and joined back to the rigs as `row_evidence`.

Origin is taken to be the claimed assembly country. That is a simplification: origin is the
country of manufacture, and assembly elsewhere changes it only by substantial transformation
(19 CFR 134.1(b)); the evidence says so. A rig without an HTS code is assumed to be in
8543.70.9960 (CBP NY N297495) and the evidence says that too.

Config:
    [tariff]
    programmes = ["IEEPA fentanyl", "IEEPA reciprocal"]   # optional: report only rigs whose
                                                         # stack at import includes one of these
    summary = true    # optional: this rule writes the fleet totals (summary.tariff_exposure_usd,
                      # summary.tariff_by_origin); exactly one rule should

Message placeholders: {origin} {hts} {date} {date_basis} {rate} {programmes} {rate_as_of}
{as_of} {estimate}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from auditor.engine.checks.base import EvalContext, Where
from auditor.model import FindingGroup, InventoryTable, Rule
from auditor.refdata.tariffs import (
    ASSUMED_HTS,
    ASSUMED_HTS_SOURCE,
    BROKER_NOTE,
    Schedule,
    Stack,
    component_json,
    duty_on,
    fraction_text,
    money_text,
    percent_text,
    stack,
)

ORIGIN_BASIS = (
    "claimed assembly country; origin is the country of manufacture and changes only by "
    "substantial transformation (19 CFR 134.1(b), CBP NY N326483)"
)
KEY_COLUMNS = ("assembly_country", "hts_code", "import_date")
VALUE_COLUMNS = ("declared_value_usd", "unit_price_usd", "quantity")


@dataclass(frozen=True)
class TariffConfig:
    programmes: tuple[str, ...]  # empty: every rig with an estimate
    summary: bool


def _schedule(refdata: Any) -> Schedule:
    sched = getattr(refdata, "tariffs", None)
    if isinstance(sched, Schedule):
        return sched
    if sched:  # a plain list of TariffRecord
        return Schedule(tuple(sched))
    raise RuntimeError("no tariff schedule loaded (reference data 'tariffs' is empty)")


class TariffCheck:
    name = "tariff"
    table = "tariff"
    kinds = frozenset({"tariff"})
    message_vars = frozenset(
        {"origin", "hts", "date", "date_basis", "rate", "programmes", "rate_as_of", "as_of", "estimate"}
    )

    def parse(self, spec: Any, where: Where) -> TariffConfig:
        if not isinstance(spec, dict):
            raise where.error("[tariff] must be a table")
        unknown = sorted(set(spec) - {"programmes", "summary"})
        if unknown:
            raise where.error(f"[tariff] unknown key {unknown[0]!r} (allowed: programmes, summary)", unknown[0], "tariff")
        progs = spec.get("programmes", [])
        if not isinstance(progs, list) or not all(isinstance(p, str) and p.strip() for p in progs):
            raise where.error("[tariff] programmes must be a list of programme names", "programmes", "tariff")
        summary = spec.get("summary", False)
        if not isinstance(summary, bool):
            raise where.error("[tariff] summary must be true or false", "summary", "tariff")
        if summary and progs:
            raise where.error("[tariff] summary = true needs every rig: do not combine it with programmes", "summary", "tariff")
        return TariffConfig(tuple(progs), summary)

    def fields(self, config: TariffConfig) -> tuple[str, ...]:
        return KEY_COLUMNS + VALUE_COLUMNS

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        """Three levels of distinct values keep a million rigs cheap:
        (origin, HTS, import date) → one stack each; distinct stacks (which programmes apply at
        import and today) → few "signatures"; (signature, declared value) → one duty computation
        and one shared per-rig evidence dict. Per-row work is numpy only."""
        cfg: TariffConfig = rule.check
        sched = _schedule(ctx.refdata)
        totals = _Totals(ctx.as_of) if cfg.summary else None
        n = len(table)
        if n == 0:
            if totals:
                ctx.summary.update(totals.as_json())
            return []
        keys, kinv = factorize(table, KEY_COLUMNS)

        sigs: list[tuple[Stack, Stack]] = []  # distinct (stack at import, stack today) by component ids
        sig_index: dict[tuple, int] = {}
        today_cache: dict[tuple[str, str], Stack] = {}
        group_sig = np.full(len(keys), -1, dtype=np.int64)
        group_info: list[Any] = [None] * len(keys)  # per key group: ("estimate", …) or ("skip", reason)
        for g, (origin, hts, imported) in enumerate(keys):
            info = self._classify(sched, origin, hts, imported, ctx.as_of, today_cache)
            group_info[g] = info
            if info[0] != "estimate":
                continue
            st, today = info[1], info[2]
            if cfg.programmes and not any(c.programme in cfg.programmes for c in st.components):
                group_info[g] = ("filtered",)
                continue
            sig = (tuple(c.id for c in st.components), tuple(c.id for c in today.components))
            if sig not in sig_index:
                sig_index[sig] = len(sigs)
                sigs.append((st, today))
            group_sig[g] = sig_index[sig]

        order = np.argsort(kinv, kind="stable")
        bounds = np.searchsorted(kinv[order], np.arange(len(keys) + 1))
        row_sig = group_sig[kinv]
        estimated = np.nonzero(row_sig >= 0)[0]
        if len(estimated):
            vals, vinv = factorize(table, VALUE_COLUMNS)
            values = [_value(*v) for v in vals]  # (Decimal | None, basis) per distinct value tuple

        # Per-rig evidence: one dict per distinct (signature, value), shared by every rig that has it.
        extras: dict[tuple[int, int], dict[str, Any]] = {}
        row_extra: list[Any] = [None] * n if len(estimated) else []
        if len(estimated):
            pair = row_sig[estimated] * len(vals) + vinv[estimated]
            upairs, pinv = np.unique(pair, return_inverse=True)
            pair_extras = []
            for code in upairs.tolist():
                sig, v = divmod(code, len(vals))
                pair_extras.append(extras.setdefault((sig, v), _row_extra(sigs[sig], values[v])))
            for r, e in zip(estimated.tolist(), (pair_extras[i] for i in pinv.reshape(-1).tolist())):
                row_extra[r] = e
            if totals:
                totals.add_rows(keys, group_sig, sigs, values, kinv[estimated], vinv[estimated])

        groups: list[FindingGroup] = []
        for g, info in enumerate(group_info):
            rows = order[bounds[g]:bounds[g + 1]].astype(np.int64)
            origin, hts, imported = keys[g]
            if info[0] == "estimate" and group_sig[g] >= 0:
                st, today = info[1], info[2]
                row_evidence = {r: row_extra[r] for r in rows.tolist()}
                groups.append(self._estimate(rule, rows, st, today, hts is None, imported is None, ctx, row_evidence))
            elif info[0] == "skip" and totals:
                totals.not_estimated[info[1]] += len(rows)
                if info[1] != "us_origin":
                    groups.append(self._not_estimated(rule, rows, info[2], hts, imported))
        if totals:
            ctx.summary.update(totals.as_json())
        groups.sort(key=lambda g: int(g.rows[0]))
        return groups

    @staticmethod
    def _classify(sched: Schedule, origin, hts, imported, as_of: date, today_cache) -> tuple:
        if origin is None:
            return ("skip", "origin_missing", "assembly_country is missing")
        on = imported or as_of
        code = hts or ASSUMED_HTS
        try:
            st = stack(sched, origin, code, on)
        except ValueError as exc:  # an HTS code the schedule cannot read
            return ("skip", "no_rates", str(exc))
        if st.exemption is not None:
            # The schedule's exemption (US origin owes no duty), decided by stack() exactly
            # as `auditor tariffs explain` decides it.
            return ("skip", "us_origin", st.exemption.text)
        if not st.components:
            return ("skip", "no_rates", f"no duty programmes on file for origin {origin}, HTS {code} on {on}")
        today = today_cache.get((origin, code))
        if today is None:
            today = today_cache[(origin, code)] = stack(sched, origin, code, as_of)
        return ("estimate", st, today)

    # ------------------------------------------------------------------ groups

    def _estimate(self, rule, rows, st: Stack, today: Stack, hts_assumed: bool, date_assumed: bool,
                  ctx: EvalContext, row_evidence) -> FindingGroup:
        programmes = " + ".join(f"{c.programme} {percent_text(c.rate)}" for c in st.components)
        date_basis = "as_of (import_date missing)" if date_assumed else "import_date"
        evidence: dict[str, Any] = {
            "origin": st.origin,
            "origin_basis": ORIGIN_BASIS,
            "hts": st.hts,
            "date": st.on.isoformat(),
            "date_basis": date_basis,
            "total_rate": fraction_text(st.total_rate),
            "components": [_component_brief(c) for c in st.components],
            "as_of": ctx.as_of.isoformat(),
            "total_rate_as_of": fraction_text(today.total_rate),
            "components_as_of": [c.id for c in today.components],
            "estimate": BROKER_NOTE,
        }
        if hts_assumed:
            evidence["hts_assumed"] = ASSUMED_HTS_SOURCE
        if st.uncertain:
            evidence["uncertain_components"] = [_component_brief(c) for c in st.uncertain]
        if st.incomplete:
            evidence["incomplete"] = st.incomplete
        if st.notes:
            evidence["notes"] = [{"id": n.id, "text": n.text, "confidence": n.confidence} for n in st.notes]
        values = {
            "origin": st.origin, "hts": st.hts, "date": st.on.isoformat(), "date_basis": date_basis,
            "rate": percent_text(st.total_rate), "programmes": programmes,
            "rate_as_of": percent_text(today.total_rate), "as_of": ctx.as_of.isoformat(), "estimate": BROKER_NOTE,
        }
        # Every value is a non-empty string, so plain str.format_map renders exactly what
        # engine.render would, at a fraction of the cost (one message per import date).
        return FindingGroup(rule, rows, rule.message.format_map(values), evidence, row_evidence=row_evidence)

    def _not_estimated(self, rule, rows, reason: str, hts, imported) -> FindingGroup:
        message = f"Tariff exposure not estimated: {reason}."
        evidence = {"not_estimated": reason, "hts": hts, "import_date": imported.isoformat() if imported else None,
                    "estimate": BROKER_NOTE}
        return FindingGroup(rule, rows, message, evidence)


def _component_brief(c) -> dict[str, Any]:
    """A component as repeated on every rig's finding: the citation itself is given once, in
    summary.tariff_components (and by `auditor tariffs explain`), keyed by this id."""
    return {"id": c.id, "programme": c.programme, "rate": fraction_text(c.rate),
            "from": c.start.isoformat() if c.start else None, "until": c.until.isoformat() if c.until else None,
            "confidence": c.confidence}


def factorize(table: InventoryTable, columns: tuple[str, ...]) -> tuple[list[tuple], np.ndarray]:
    """Distinct value tuples of `columns` (in code order) and each row's index into them."""
    cols = [table.columns[c] for c in columns]
    key = np.zeros(len(table), dtype=np.int64)
    sizes = [len(c.values) for c in cols]
    if float(np.prod([float(s) for s in sizes])) < 2.0**62:
        for col, size in zip(cols, sizes):
            key = key * size + col.codes.astype(np.int64)
        uniq, inv = np.unique(key, return_inverse=True)
        codes = np.empty((len(uniq), len(cols)), dtype=np.int64)
        rest = uniq.copy()
        for j in range(len(cols) - 1, -1, -1):
            codes[:, j] = rest % sizes[j]
            rest //= sizes[j]
    else:
        stacked = np.stack([c.codes for c in cols], axis=1)
        codes, inv = np.unique(stacked, axis=0, return_inverse=True)
    tuples = [tuple(col.values[k] for col, k in zip(cols, row)) for row in codes.tolist()]
    return tuples, inv.reshape(-1)


def _row_extra(sig: tuple[Stack, Stack], value: tuple[Decimal | None, str]) -> dict[str, Any]:
    st, today = sig
    amount, basis = value
    if amount is None:
        return {"declared_value_usd": None, "duty_usd": None, "duty_note": "declared_value_usd missing: duty not estimated"}
    extra = {
        "declared_value_usd": money_text(amount),
        "duty_usd": money_text(st.duty(amount)),
        "duty_by_programme": {c.programme: money_text(duty_on(amount, c.rate)) for c in st.components},
        "duty_as_of_usd": money_text(today.duty(amount)),
    }
    if basis != "declared_value_usd":
        extra["value_basis"] = basis
    return extra


def _value(declared: Decimal | None, unit_price: Decimal | None, qty: int | None) -> tuple[Decimal | None, str]:
    """The customs value estimate for a row: the declared value, else unit price × quantity."""
    if declared is not None:
        return Decimal(declared), "declared_value_usd"
    if unit_price is not None:
        return Decimal(unit_price) * (qty or 1), "unit_price_usd × quantity (declared_value_usd missing)"
    return None, ""


class _Totals:
    """Fleet-level figures: total duty at import, and per origin/HTS the rate at import vs as of."""

    def __init__(self, as_of: date):
        self.as_of = as_of
        self.total = Decimal(0)
        self.total_as_of = Decimal(0)
        self.by_key: dict[tuple[str, str], dict[str, Any]] = {}
        self.not_estimated = {"origin_missing": 0, "no_rates": 0, "value_missing": 0, "us_origin": 0}
        self.components: dict[str, Any] = {}  # id -> TariffRecord, every component cited in findings

    def add_rows(self, keys, group_sig, sigs, values, row_groups: np.ndarray, row_values: np.ndarray) -> None:
        """Accumulate estimated rows, exactly (Decimal), once per distinct (group's origin/HTS,
        signature, value) — never per rig."""
        oh_index: dict[tuple[str, str], int] = {}
        group_oh = np.empty(len(keys), dtype=np.int64)
        for g, (origin, hts, _imported) in enumerate(keys):
            k = (origin, hts or ASSUMED_HTS)
            group_oh[g] = oh_index.setdefault(k, len(oh_index))
        ohs = list(oh_index)
        S, V = len(sigs), len(values)
        triple = (group_oh[row_groups] * S + group_sig[row_groups]) * V + row_values
        uniq, counts = np.unique(triple, return_counts=True)
        for code, cnt in zip(uniq.tolist(), counts.tolist()):
            rest, v = divmod(code, V)
            oh, sig = divmod(rest, S)
            st, today = sigs[sig]
            origin, hts = ohs[oh]
            for c in st.components + st.uncertain + today.components:
                self.components[c.id] = c
            e = self.by_key.setdefault(
                (origin, hts),
                {"rigs": 0, "rigs_valued": 0, "value": Decimal(0), "duty": Decimal(0), "duty_as_of": Decimal(0),
                 "rates": {}, "rate_as_of": today.total_rate},
            )
            e["rigs"] += cnt
            e["rates"][st.total_rate] = e["rates"].get(st.total_rate, 0) + cnt
            amount = values[v][0]
            if amount is None:
                self.not_estimated["value_missing"] += cnt
                continue
            duty, duty_today = st.duty(amount) * cnt, today.duty(amount) * cnt
            e["rigs_valued"] += cnt
            e["value"] += amount * cnt
            e["duty"] += duty
            e["duty_as_of"] += duty_today
            self.total += duty
            self.total_as_of += duty_today

    def as_json(self) -> dict[str, Any]:
        by_origin = []
        for (origin, hts), e in sorted(self.by_key.items()):
            by_origin.append({
                "origin": origin,
                "hts": hts,
                "rigs": e["rigs"],
                "rigs_valued": e["rigs_valued"],
                "declared_value_usd": money_text(e["value"]),
                "duty_at_import_usd": money_text(e["duty"]),
                "rates_at_import": [{"rate": fraction_text(r), "rigs": k} for r, k in sorted(e["rates"].items())],
                "rate_as_of": fraction_text(e["rate_as_of"]),
                "duty_as_of_usd": money_text(e["duty_as_of"]),
            })
        return {
            "tariff_exposure_usd": money_text(self.total),
            "tariff_exposure_as_of_usd": money_text(self.total_as_of),
            "tariff_as_of": self.as_of.isoformat(),
            "tariff_by_origin": by_origin,
            "tariff_components": {cid: component_json(c) for cid, c in sorted(self.components.items())},
            "tariff_not_estimated": dict(self.not_estimated),
            "tariff_note": f"{BROKER_NOTE}. Duty at each rig's import date; 'as of' = the rates in force on "
                           f"{self.as_of.isoformat()}. Origin = claimed assembly country.",
        }


CHECK = TariffCheck()
