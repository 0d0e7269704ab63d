"""`check = "tariff"`: estimated US duty per rig from the dated schedule ([tariff] table).

For each distinct (assembly_country, hts_code, import_date) the stack of programmes in force
on the import date (the audit date when the rig has none) is computed once; the duty on each
distinct declared value is computed once and joined back to the rigs as `row_evidence`.

Origin is taken to be the claimed assembly country. That is a simplification: origin is the
country of manufacture, and assembly elsewhere changes it only by substantial transformation
(19 CFR 134.1(b)); the evidence says so. A rig without an HTS code is assumed to be in
8543.70.9960 (CBP NY N297495) and the evidence says that too.

Estimates are figures, not findings. Config (one mode per rule):
    [tariff]
    summary = true        # computes the fleet's exposure (AuditResult.tariff: by origin and
                          # programme, and per rig); exactly one rule should. Alone it raises
                          # no finding: the reports tabulate the figures.
    attention_usd = 2500  # optional, with summary: a finding for each rig whose estimated
                          # duty at import exceeds this amount (USD, per rig)
    programmes = ["IEEPA fentanyl", "IEEPA reciprocal"]   # or: a finding for each rig whose
                          # stack at import included one of these (e.g. a refund may be owed)

Message placeholders: {origin} {hts} {date} {date_basis} {rate} {programmes} {rate_as_of}
{as_of} {estimate} {attention_usd}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator

import numpy as np

from auditor.engine.checks.base import EvalContext, Where
from auditor.model import (
    FindingGroup,
    InventoryTable,
    Rule,
    TariffBasis,
    TariffDuty,
    TariffExposure,
    TariffExposureLine,
    TariffOrigin,
    fraction_text,
    money_text,
)
from auditor.refdata.tariffs import (
    ASSUMED_HTS,
    ASSUMED_HTS_SOURCE,
    BROKER_NOTE,
    Schedule,
    Stack,
    component_json,
    duty_on,
    percent_text,
    programme_order,
    stack,
)

ORIGIN_BASIS = (
    "claimed assembly country; origin is the country of manufacture and changes only by "
    "substantial transformation (19 CFR 134.1(b), CBP NY N326483)"
)
KEY_COLUMNS = ("assembly_country", "hts_code", "import_date")
VALUE_COLUMNS = ("declared_value_usd", "unit_price_usd", "quantity")
NOT_ESTIMATED = ("us_origin", "origin_missing", "no_rates", "value_missing")


@dataclass(frozen=True)
class TariffConfig:
    programmes: tuple[str, ...]  # a finding per rig whose stack at import includes one of these
    summary: bool  # compute the fleet's exposure (AuditResult.tariff)
    attention_usd: Decimal | None = None  # with summary: a finding per rig whose duty at import exceeds it


def _schedule(refdata: Any) -> Schedule:
    sched = getattr(refdata, "tariffs", None)
    if isinstance(sched, Schedule):
        return sched
    if sched:  # a plain list of TariffRecord
        return Schedule(tuple(sched))
    raise RuntimeError("no tariff schedule loaded (reference data 'tariffs' is empty)")


@dataclass
class _Estimates:
    """Every row's estimate, computed on distinct values (see TariffCheck.estimate)."""

    keys: list[tuple[Any, ...]]  # distinct (origin, hts, import date)
    kinv: np.ndarray  # row -> key
    info: list[tuple[Any, ...]]  # per key: ("estimate", stack at import, stack today) or ("skip", reason, text)
    sigs: list[tuple[Stack, Stack]]  # distinct (stack at import, stack today)
    key_sig: np.ndarray  # key -> signature (-1: no estimate)
    values: list[tuple[Decimal | None, str]]  # distinct customs values
    vinv: np.ndarray  # row -> value
    duty_keys: list[tuple[int, int]]  # distinct (signature, value) with an amount
    row_duty: np.ndarray  # row -> duty_keys index (-1: no estimate or no value)


class TariffCheck:
    name = "tariff"
    table = "tariff"
    kinds = frozenset({"tariff"})
    message_vars = frozenset(
        {"origin", "hts", "date", "date_basis", "rate", "programmes", "rate_as_of", "as_of", "estimate",
         "attention_usd"}
    )

    def parse(self, spec: Any, where: Where) -> TariffConfig:
        if not isinstance(spec, dict):
            raise where.error("[tariff] must be a table")
        unknown = sorted(set(spec) - {"programmes", "summary", "attention_usd"})
        if unknown:
            raise where.error(f"[tariff] unknown key {unknown[0]!r} (allowed: programmes, summary, attention_usd)",
                              unknown[0], "tariff")
        progs = spec.get("programmes", [])
        if not isinstance(progs, list) or not all(isinstance(p, str) and p.strip() for p in progs):
            raise where.error("[tariff] programmes must be a list of programme names", "programmes", "tariff")
        summary = spec.get("summary", False)
        if not isinstance(summary, bool):
            raise where.error("[tariff] summary must be true or false", "summary", "tariff")
        if summary and progs:
            raise where.error("[tariff] summary = true needs every rig: do not combine it with programmes", "summary", "tariff")
        attention = spec.get("attention_usd")
        if attention is not None:
            try:
                ok = not isinstance(attention, bool) and Decimal(str(attention)) >= 0
            except InvalidOperation:
                ok = False
            if not ok:
                raise where.error("[tariff] attention_usd must be an amount in USD (a number, 0 or more)",
                                  "attention_usd", "tariff")
            if not summary:
                raise where.error("[tariff] attention_usd needs summary = true", "attention_usd", "tariff")
            attention = Decimal(str(attention))
        return TariffConfig(tuple(progs), summary, attention)

    def fields(self, config: TariffConfig) -> tuple[str, ...]:
        return KEY_COLUMNS + VALUE_COLUMNS

    def needs(self, config: TariffConfig) -> tuple[frozenset[str], ...]:
        # Without an origin no duty can be estimated. A missing import date is estimated on
        # --as-of (procurement lists are not imported yet) and says so in the evidence.
        return (frozenset({"assembly_country"}),)

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cfg: TariffConfig = rule.check
        est = self.estimate(_schedule(ctx.refdata), table, ctx.as_of)
        groups: list[FindingGroup] = []
        if cfg.summary:
            ctx.tariff = _exposure(est, table, ctx.as_of)
            if cfg.attention_usd is not None:
                groups = self._attention(rule, est, cfg.attention_usd, ctx)
        elif cfg.programmes:
            groups = self._with_programmes(rule, est, cfg.programmes, ctx)
        groups.sort(key=lambda g: int(g.rows[0]))
        return groups

    def estimate(self, sched: Schedule, table: InventoryTable, as_of: date) -> _Estimates:
        """Three levels of distinct values keep a million rigs cheap:
        (origin, HTS, import date) → one stack each; distinct stacks (which programmes apply at
        import and today) → few "signatures"; (signature, declared value) → one duty computation.
        Per-row work is numpy only."""
        n = len(table)
        keys, kinv = factorize(table, KEY_COLUMNS)
        sigs: list[tuple[Stack, Stack]] = []
        sig_index: dict[tuple[Any, ...], int] = {}
        today_cache: dict[tuple[str, str], Stack] = {}
        key_sig = np.full(len(keys), -1, dtype=np.int64)
        info: list[tuple[Any, ...]] = []
        for g, (origin, hts, imported) in enumerate(keys):
            i = _classify(sched, origin, hts, imported, as_of, today_cache)
            info.append(i)
            if i[0] != "estimate":
                continue
            sig = (tuple(c.id for c in i[1].components), tuple(c.id for c in i[2].components))
            if sig not in sig_index:
                sig_index[sig] = len(sigs)
                sigs.append((i[1], i[2]))
            key_sig[g] = sig_index[sig]
        vals, vinv = factorize(table, VALUE_COLUMNS)
        values = [_value(*v) for v in vals]
        row_duty = np.full(n, -1, dtype=np.int64)
        duty_keys: list[tuple[int, int]] = []
        if n and len(sigs):
            valued = np.array([v[0] is not None for v in values], dtype=bool)
            row_sig = key_sig[kinv]
            rows = np.nonzero((row_sig >= 0) & valued[vinv])[0]
            if len(rows):
                pair = row_sig[rows] * len(values) + vinv[rows]
                upairs, pinv = np.unique(pair, return_inverse=True)
                duty_keys = [divmod(int(code), len(values)) for code in upairs.tolist()]
                row_duty[rows] = pinv.reshape(-1)
        return _Estimates(keys, kinv, info, sigs, key_sig, values, vinv, duty_keys, row_duty)

    # ------------------------------------------------------------------ findings

    def _with_programmes(self, rule: Rule, est: _Estimates, programmes: tuple[str, ...],
                         ctx: EvalContext) -> list[FindingGroup]:
        """One group per (origin, HTS, import date) whose stack at import includes a programme."""
        extras = [_row_extra(est.sigs[s], est.values[v]) for s, v in est.duty_keys]
        out = []
        for g, rows in _rows_by_key(est):
            info = est.info[g]
            if info[0] != "estimate" or not any(c.programme in programmes for c in info[1].components):
                continue
            row_evidence = {r: (extras[d] if d >= 0 else NO_VALUE) for r, d in zip(rows.tolist(), est.row_duty[rows].tolist())}
            out.append(self._estimate(rule, rows, info[1], info[2], est.keys[g], ctx, row_evidence))
        return out

    def _attention(self, rule: Rule, est: _Estimates, threshold: Decimal, ctx: EvalContext) -> list[FindingGroup]:
        """Rigs whose estimated duty at import exceeds `threshold`, grouped by (origin, HTS, import date)."""
        over = np.zeros(len(est.duty_keys) + 1, dtype=bool)  # the last entry: rows without a duty (-1)
        for i, (s, v) in enumerate(est.duty_keys):
            amount = est.values[v][0]
            over[i] = amount is not None and est.sigs[s][0].duty(amount) > threshold
        hit = over[est.row_duty]  # row_duty -1 picks the trailing False
        if not hit.any():
            return []
        extras = [_row_extra(est.sigs[s], est.values[v]) for s, v in est.duty_keys]
        out = []
        for g, rows in _rows_by_key(est):
            rows = rows[hit[rows]]
            if not len(rows):
                continue
            info = est.info[g]
            row_evidence = {r: extras[d] for r, d in zip(rows.tolist(), est.row_duty[rows].tolist())}
            group = self._estimate(rule, rows, info[1], info[2], est.keys[g], ctx, row_evidence,
                                   attention_usd=threshold)
            out.append(group)
        return out

    def _estimate(self, rule: Rule, rows: np.ndarray, st: Stack, today: Stack, key: tuple[Any, ...],
                  ctx: EvalContext, row_evidence: dict[int, dict[str, Any]],
                  attention_usd: Decimal | None = None) -> FindingGroup:
        _origin, hts, imported = key
        programmes = " + ".join(f"{c.programme} {percent_text(c.rate)}" for c in st.components)
        date_basis = "as_of (import_date missing)" if imported is None else "import_date"
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
        if attention_usd is not None:
            evidence["attention_usd"] = money_text(attention_usd)
        if hts is None:
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
            "attention_usd": f"{attention_usd:,.2f}" if attention_usd is not None else "",
        }
        # Every value is a string, so plain str.format_map renders exactly what engine.render
        # would, at a fraction of the cost (one message per import date).
        return FindingGroup(rule, rows, rule.message.format_map(values), evidence, row_evidence=row_evidence)


def _classify(sched: Schedule, origin: Any, hts: Any, imported: Any, as_of: date,
              today_cache: dict[tuple[str, str], Stack]) -> tuple[Any, ...]:
    if origin is None:
        return ("skip", "origin_missing", "assembly_country is missing")
    on = imported or as_of
    code = hts or ASSUMED_HTS
    try:
        st = stack(sched, origin, code, on, known_on=as_of)
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
        today = today_cache[(origin, code)] = stack(sched, origin, code, as_of, known_on=as_of)
    return ("estimate", st, today)


def _rows_by_key(est: _Estimates) -> Iterator[tuple[int, np.ndarray]]:
    """(key index, its rows ascending) for every distinct (origin, HTS, import date)."""
    order = np.argsort(est.kinv, kind="stable")
    bounds = np.searchsorted(est.kinv[order], np.arange(len(est.keys) + 1))
    for g in range(len(est.keys)):
        yield g, order[bounds[g]:bounds[g + 1]].astype(np.int64)


def _component_brief(c: Any) -> dict[str, Any]:
    """A component as repeated on every rig's finding: the citation itself is given once, in
    tariff_exposure.components (and by `auditor tariffs explain`), keyed by this id."""
    return {"id": c.id, "programme": c.programme, "rate": fraction_text(c.rate),
            "from": c.start.isoformat() if c.start else None, "until": c.until.isoformat() if c.until else None,
            "confidence": c.confidence}


def factorize(table: InventoryTable, columns: tuple[str, ...]) -> tuple[list[tuple[Any, ...]], np.ndarray]:
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


NO_VALUE: dict[str, Any] = {"declared_value_usd": None, "duty_usd": None,
                            "duty_note": "declared_value_usd missing: duty not estimated"}


def _row_extra(sig: tuple[Stack, Stack], value: tuple[Decimal | None, str]) -> dict[str, Any]:
    st, today = sig
    amount, basis = value
    if amount is None:
        return NO_VALUE
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


# ------------------------------------------------------------------ the fleet's exposure


def _programmes(st: Stack) -> tuple[tuple[str, Decimal], ...]:
    return tuple((c.programme, c.rate) for c in st.components)


def _basis(key: tuple[Any, ...], info: tuple[Any, ...], as_of: date) -> TariffBasis:
    origin, hts, imported = key
    on = imported or as_of
    code = hts or ASSUMED_HTS
    if info[0] != "estimate":
        return TariffBasis(origin, code, hts is None, on, imported is None, info[1], note=info[2])
    st, today = info[1], info[2]
    return TariffBasis(origin, code, hts is None, on, imported is None, "estimated", st.total_rate, _programmes(st),
                       today.total_rate, _programmes(today), note=st.incomplete or "")


def _duty(sig: tuple[Stack, Stack], value: tuple[Decimal | None, str]) -> TariffDuty:
    st, today = sig
    amount, basis = value
    assert amount is not None  # only valued rows have a duty record
    return TariffDuty(amount, basis, st.duty(amount), today.duty(amount),
                      tuple((c.programme, duty_on(amount, c.rate)) for c in st.components),
                      tuple((c.programme, duty_on(amount, c.rate)) for c in today.components))


def _exposure(est: _Estimates, table: InventoryTable, as_of: date) -> TariffExposure:
    """The figures by origin and programme, exactly (Decimal), summed once per distinct
    (key, duty record) — never per rig — plus the per-rig index arrays."""
    n = table.declared_rows  # observed devices and screened rejected rows are no assets
    bases = tuple(_basis(k, i, as_of) for k, i in zip(est.keys, est.info))
    duties = tuple(_duty(est.sigs[s], est.values[v]) for s, v in est.duty_keys)
    rig_basis = est.kinv.astype(np.int32)
    rig_duty = est.row_duty.astype(np.int32)
    if n < len(table):
        rig_basis[n:] = -1
        rig_duty[n:] = -1
    D = len(duties) + 1  # +1: "no duty record" (code 0 below)
    combo = rig_basis[:n].astype(np.int64) * D + (rig_duty[:n].astype(np.int64) + 1)
    uniq, counts = np.unique(combo, return_counts=True)
    not_estimated = dict.fromkeys(NOT_ESTIMATED, 0)
    origins: dict[str, dict[str, Any]] = {}
    components: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for code, cnt in zip(uniq.tolist(), counts.tolist()):
        b, d1 = divmod(code, D)
        basis, info = bases[b], est.info[b]
        if basis.status != "estimated":
            not_estimated[basis.status] += cnt
            continue
        st, today = info[1], info[2]
        for c in st.components + st.uncertain + today.components:
            components[c.id] = c
        for note in st.notes:
            notes[note.id] = note.text
        o = origins.setdefault(basis.origin or "", {
            "rigs": 0, "valued": 0, "dated": 0, "value": Decimal(0), "duty": Decimal(0), "duty_as_of": Decimal(0),
            "rates": {}, "rates_as_of": set(), "progs": {}})
        o["rigs"] += cnt
        o["dated"] += cnt if basis.date_assumed else 0
        o["rates"][basis.rate_at_import] = o["rates"].get(basis.rate_at_import, 0) + cnt
        o["rates_as_of"].add(basis.rate_as_of)
        duty = duties[d1 - 1] if d1 else None
        if duty is None:
            not_estimated["value_missing"] += cnt
        else:
            o["valued"] += cnt
            o["value"] += duty.declared_value_usd * cnt
            o["duty"] += duty.duty_at_import_usd * cnt
            o["duty_as_of"] += duty.duty_as_of_usd * cnt
        for when, parts, amounts in (("import", basis.programmes_at_import, duty.by_programme_at_import if duty else ()),
                                     ("as_of", basis.programmes_as_of, duty.by_programme_as_of if duty else ())):
            paid = dict(amounts)
            for programme, _rate in parts:
                p = o["progs"].setdefault(programme, {"import": [0, Decimal(0)], "as_of": [0, Decimal(0)]})
                p[when][0] += cnt
                p[when][1] += paid.get(programme, Decimal(0)) * cnt
    by_origin = []
    for origin, o in origins.items():
        lines = tuple(TariffExposureLine(origin, prog, p["import"][0], p["import"][1], p["as_of"][0], p["as_of"][1])
                      for prog, p in sorted(o["progs"].items(), key=lambda kv: (programme_order(kv[0]), kv[0])))
        by_origin.append(TariffOrigin(origin, o["rigs"], o["valued"], o["dated"], o["value"], o["duty"], o["duty_as_of"],
                                      tuple(sorted(o["rates"].items())), tuple(sorted(o["rates_as_of"])), lines))
    by_origin.sort(key=lambda o: (-o.duty_at_import_usd, o.origin))
    return TariffExposure(
        as_of=as_of,
        exposure_usd=sum((o.duty_at_import_usd for o in by_origin), Decimal(0)),
        exposure_as_of_usd=sum((o.duty_as_of_usd for o in by_origin), Decimal(0)),
        declared_value_usd=sum((o.declared_value_usd for o in by_origin), Decimal(0)),
        by_origin=tuple(by_origin),
        components={cid: component_json(c) for cid, c in sorted(components.items())},
        not_estimated=not_estimated,
        rigs_date_assumed=sum(o.rigs_date_assumed for o in by_origin),
        notes=tuple(sorted(notes.items())),
        note=f"{BROKER_NOTE}. Duty at each rig's import date (the audit date when it has none); 'as of' = the "
             f"rates in force on {as_of.isoformat()}. Origin = claimed assembly country.",
        bases=bases, duties=duties, rig_basis=rig_basis, rig_duty=rig_duty,
    )


CHECK = TariffCheck()
