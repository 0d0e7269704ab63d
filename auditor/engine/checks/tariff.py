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
from auditor.engine.grouping import group_rows
from auditor.engine.render import render
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
        cfg: TariffConfig = rule.check
        sched = _schedule(ctx.refdata)
        totals = _Totals(ctx.as_of) if cfg.summary else None
        groups: list[FindingGroup] = []
        for (origin, hts, imported), rows in group_rows(table, KEY_COLUMNS):
            if origin is None:
                if totals:
                    totals.not_estimated["origin_missing"] += len(rows)
                    groups.append(self._not_estimated(rule, table, rows, "assembly_country is missing", hts, imported))
                continue
            if origin == "US":
                # Duty falls on imports; a rig of claimed US origin owes none itself (its imported
                # parts were dutiable on their own entries, which this inventory does not show).
                if totals:
                    totals.not_estimated["us_origin"] += len(rows)
                continue
            on = imported or ctx.as_of
            code = hts or ASSUMED_HTS
            try:
                st = stack(sched, origin, code, on)
            except ValueError as exc:  # an HTS code the schedule cannot read
                if totals:
                    totals.not_estimated["no_rates"] += len(rows)
                    groups.append(self._not_estimated(rule, table, rows, str(exc), hts, imported))
                continue
            if not st.components:
                if totals:
                    totals.not_estimated["no_rates"] += len(rows)
                    groups.append(self._not_estimated(
                        rule, table, rows, f"no duty programmes on file for origin {origin}, HTS {code} on {on}", hts,
                        imported))
                continue
            if cfg.programmes and not any(c.programme in cfg.programmes for c in st.components):
                continue
            today = stack(sched, origin, code, ctx.as_of)
            groups.extend(self._estimate(rule, table, rows, st, today, hts is None, imported is None, ctx, totals))
        if totals:
            ctx.summary.update(totals.as_json())
        groups.sort(key=lambda g: int(g.rows[0]))
        return groups

    # ------------------------------------------------------------------ groups

    def _estimate(self, rule, table, rows, st: Stack, today: Stack, hts_assumed: bool, date_assumed: bool,
                  ctx: EvalContext, totals) -> list[FindingGroup]:
        programmes = " + ".join(f"{c.programme} {percent_text(c.rate)}" for c in st.components)
        evidence: dict[str, Any] = {
            "origin": st.origin,
            "origin_basis": ORIGIN_BASIS,
            "hts": st.hts,
            "date": st.on.isoformat(),
            "date_basis": "as_of (import_date missing)" if date_assumed else "import_date",
            "total_rate": fraction_text(st.total_rate),
            "components": [component_json(c) for c in st.components],
            "as_of": ctx.as_of.isoformat(),
            "total_rate_as_of": fraction_text(today.total_rate),
            "components_as_of": [c.id for c in today.components],
            "estimate": BROKER_NOTE,
        }
        if hts_assumed:
            evidence["hts_assumed"] = ASSUMED_HTS_SOURCE
        if st.uncertain:
            evidence["uncertain_components"] = [component_json(c) for c in st.uncertain]
        if not st.has_general_rate:
            evidence["incomplete"] = f"no general (MFN) rate on file for HTS {st.hts}; the total omits it"
        values = {
            "origin": st.origin, "hts": st.hts, "date": st.on, "date_basis": evidence["date_basis"],
            "rate": percent_text(st.total_rate), "programmes": programmes,
            "rate_as_of": percent_text(today.total_rate), "as_of": ctx.as_of, "estimate": BROKER_NOTE,
        }
        message = render(rule.message, values)
        row_evidence: dict[int, dict[str, Any]] = {}
        for (declared, unit_price, qty), vrows in group_rows(table, VALUE_COLUMNS, rows):
            value, basis = _value(declared, unit_price, qty)
            if value is None:
                extra = {"declared_value_usd": None, "duty_usd": None,
                         "duty_note": "declared_value_usd missing: duty not estimated"}
                if totals:
                    totals.add(st, today, len(vrows), None)
            else:
                extra = {
                    "declared_value_usd": money_text(value),
                    "duty_usd": money_text(st.duty(value)),
                    "duty_by_programme": {c.programme: money_text(duty_on(value, c.rate)) for c in st.components},
                    "duty_as_of_usd": money_text(today.duty(value)),
                }
                if basis != "declared_value_usd":
                    extra["value_basis"] = basis
                if totals:
                    totals.add(st, today, len(vrows), value)
            row_evidence.update(dict.fromkeys(vrows.tolist(), extra))
        return [FindingGroup(rule, rows, message, evidence, row_evidence=row_evidence)]

    def _not_estimated(self, rule, table, rows, reason: str, hts, imported) -> FindingGroup:
        message = f"Tariff exposure not estimated: {reason}."
        evidence = {"not_estimated": reason, "hts": hts, "import_date": imported.isoformat() if imported else None,
                    "estimate": BROKER_NOTE}
        return FindingGroup(rule, rows, message, evidence)


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

    def add(self, st: Stack, today: Stack, n: int, value: Decimal | None) -> None:
        e = self.by_key.setdefault(
            (st.origin, st.hts),
            {"rigs": 0, "rigs_valued": 0, "value": Decimal(0), "duty": Decimal(0), "duty_as_of": Decimal(0),
             "rates": {}, "rate_as_of": today.total_rate},
        )
        e["rigs"] += n
        rate_key = st.total_rate
        e["rates"][rate_key] = e["rates"].get(rate_key, 0) + n
        if value is None:
            self.not_estimated["value_missing"] += n
            return
        duty, duty_today = st.duty(value) * n, today.duty(value) * n
        e["rigs_valued"] += n
        e["value"] += value * n
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
            "tariff_not_estimated": dict(self.not_estimated),
            "tariff_note": f"{BROKER_NOTE}. Duty at each rig's import date; 'as of' = the rates in force on "
                           f"{self.as_of.isoformat()}. Origin = claimed assembly country.",
        }


CHECK = TariffCheck()
