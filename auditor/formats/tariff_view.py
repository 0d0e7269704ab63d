"""The tariff exposure as every format shows it, from `AuditResult.tariff` (TariffExposure).

Estimates are figures, not findings: reports tabulate them by claimed origin and programme
(`table_rows`), and the per-rig detail (`rig_rows`) goes to tariff_rigs.csv, the tariff columns of
rigs.parquet and the first RIG_CAP rows of a collapsible table in report.html. Per-rig cells are
prepared once per distinct (basis, duty) pair, so a million rigs cost a few thousand strings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from auditor.model import AuditResult, TariffBasis, TariffDuty, TariffExposure, money_text
from auditor.refdata.tariffs import percent_text

RIG_COLUMNS = (
    "asset_key", "serial", "file", "line", "origin", "hts", "hts_assumed", "rates_on", "rates_on_basis", "status",
    "declared_value_usd", "value_basis", "rate_at_import", "programmes_at_import", "duty_at_import_usd",
    "rate_as_of", "duty_as_of_usd", "note",
)
STATUS_TEXT = {
    "estimated": "estimated",
    "us_origin": "no duty: US origin",
    "origin_missing": "not estimated: assembly_country missing",
    "no_rates": "not estimated: no rates on file",
    "value_missing": "not estimated: no declared value",
}
DATE_BASIS = {False: "import_date", True: "audit date (import_date missing)"}


def usd(amount: Decimal) -> str:
    """"52,746.22": rounded as report.json rounds (money_text), with thousands separators."""
    return f"{Decimal(money_text(amount)):,.2f}"


def table_rows(t: TariffExposure) -> list[dict[str, Any]]:
    """Rows of the table by origin and programme: each origin's subtotal, then its programmes;
    the fleet total is the last row (a paged table prints it once, at its end)."""
    from auditor.formats.charts import country_name

    rows: list[dict[str, Any]] = []
    for o in t.by_origin:
        rates = ", ".join(f"{percent_text(r)} ({n:,})" for r, n in o.rates_at_import)
        rows.append({"kind": "origin", "origin": o.origin, "name": country_name(o.origin),
                     "programme": "all programmes", "rigs": f"{o.rigs:,}", "rigs_as_of": f"{o.rigs:,}",
                     "declared_value": usd(o.declared_value_usd), "rates": rates,
                     "duty_at_import": usd(o.duty_at_import_usd),
                     "rate_as_of": ", ".join(percent_text(r) for r in o.rate_as_of),
                     "duty_as_of": usd(o.duty_as_of_usd),
                     "date_assumed": o.rigs_date_assumed})
        for p in o.programmes:
            rows.append({"kind": "programme", "origin": o.origin, "name": "", "programme": p.programme,
                         "rigs": f"{p.rigs_at_import:,}", "rigs_as_of": f"{p.rigs_as_of:,}", "declared_value": "",
                         "rates": "", "duty_at_import": usd(p.duty_at_import_usd), "rate_as_of": "",
                         "duty_as_of": usd(p.duty_as_of_usd), "date_assumed": 0})
    rows.append({"kind": "total", "origin": "", "name": "Total (estimate)", "programme": "",
                 "rigs": f"{t.rigs_estimated:,}", "rigs_as_of": f"{t.rigs_estimated:,}",
                 "declared_value": usd(t.declared_value_usd), "rates": "", "duty_at_import": usd(t.exposure_usd),
                 "rate_as_of": "", "duty_as_of": usd(t.exposure_as_of_usd), "date_assumed": t.rigs_date_assumed})
    return rows


def not_estimated_text(t: TariffExposure) -> str:
    """"7 rigs of US origin (no duty); 2 without a declared value" — "" when every rig was estimated."""
    parts = [f"{n:,} rig{'s' if n != 1 else ''}: {STATUS_TEXT[k]}" for k, n in sorted(t.not_estimated.items()) if n]
    return "; ".join(parts)


def _cells(b: TariffBasis, d: TariffDuty | None) -> tuple[Any, ...]:
    """The per-rig columns after (asset_key, serial, file, line), for one (basis, duty) pair."""
    status = b.status if b.status != "estimated" or d is not None else "value_missing"
    estimated = b.status == "estimated"
    return (
        b.origin or "", b.hts, "yes" if b.hts_assumed else "no", b.on.isoformat(), DATE_BASIS[b.date_assumed],
        STATUS_TEXT[status],
        money_text(d.declared_value_usd) if d else "", d.value_basis if d else "",
        percent_text(b.rate_at_import) if estimated else "", b.programmes_text() if estimated else "",
        money_text(d.duty_at_import_usd) if d else "",
        percent_text(b.rate_as_of) if estimated else "", money_text(d.duty_as_of_usd) if d else "",
        b.note,
    )


def rig_rows(result: AuditResult, limit: int | None = None) -> Iterator[tuple[Any, ...]]:
    """One tuple per audited rig judged by the tariff rule (RIG_COLUMNS), in inventory order."""
    t = result.tariff
    if t is None:
        return
    table = result.table
    serials = table.columns["serial"]
    sources = [str(s) for s in table.sources]
    cache: dict[tuple[int, int], tuple[Any, ...]] = {}
    shown = 0
    for row, (b, d, src, line) in enumerate(zip(t.rig_basis.tolist(), t.rig_duty.tolist(),
                                                table.source_index.tolist(), table.lines.tolist())):
        if b < 0:
            continue
        if limit is not None and shown >= limit:
            return
        cells = cache.get((b, d))
        if cells is None:
            cells = cache[(b, d)] = _cells(t.bases[b], t.duties[d] if d >= 0 else None)
        serial = serials.value(row)
        yield (serial if serial else table.asset_key(row), serial or "", sources[src], line, *cells)
        shown += 1


def rigs_judged(t: TariffExposure) -> int:
    return int((t.rig_basis >= 0).sum())
