"""`auditor tariffs explain`: the duty stack for one origin, HTS code and date, with citations."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

import click

from auditor.cli.exits import fail


@click.group()
def tariffs() -> None:
    """Explain the dated US duty schedule (estimates — confirm with a licensed customs broker)."""


@tariffs.command()
@click.option("--origin", required=True, metavar="CC", help="Country of origin, ISO 3166-1 alpha-2 (e.g. CN).")
@click.option("--hts", "hts", default=None, metavar="CODE", help="HTS code (default 8543.70.9960, CBP NY N297495).")
@click.option("--date", "on", required=True, metavar="YYYY-MM-DD", help="Entry (import) date.")
@click.option("--value", default=None, metavar="USD", help="Declared value in USD, to estimate the duty.")
@click.option("--schedule", default=None, type=click.Path(dir_okay=False), help="Tariff schedule file (default: bundled).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def explain(origin: str, hts: str | None, on: str, value: str | None, schedule: str | None, as_json: bool) -> None:
    """Print the programmes in force, each with rate, window and citation."""
    import pycountry

    from auditor.refdata._records import RefDataError
    from auditor.refdata.tariffs import (
        ASSUMED_HTS,
        ASSUMED_HTS_SOURCE,
        BROKER_NOTE,
        hts_digits,
        load_tariffs,
        money_text,
        percent_text,
        stack,
    )

    cc = origin.strip().upper()
    if len(cc) != 2 or pycountry.countries.get(alpha_2=cc) is None:
        fail(f"--origin {origin!r} is not an ISO 3166-1 alpha-2 country code (e.g. CN, MY, US)")
    try:
        day = date.fromisoformat(on)
    except ValueError:
        fail(f"--date {on!r} is not a date in the form YYYY-MM-DD")
    assumed = hts is None
    code = ASSUMED_HTS if assumed else hts.strip()
    try:
        hts_digits(code)
    except ValueError as exc:
        fail(f"--hts: {exc}")
    amount = None
    if value is not None:
        try:
            amount = Decimal(value.replace(",", ""))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            fail(f"--value {value!r} is not a non-negative amount in USD")
    try:
        sched, _src = load_tariffs(schedule)
    except RefDataError as exc:
        fail(str(exc))

    st = stack(sched, cc, code, day)
    if as_json:
        out = st.as_json(amount)
        out["estimate"] = BROKER_NOTE
        if assumed:
            out["hts_assumed"] = ASSUMED_HTS_SOURCE
        click.echo(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))
        return

    click.echo(f"Origin {cc}, HTS {code}{' (assumed: ' + ASSUMED_HTS_SOURCE + ')' if assumed else ''}, entered {day}")
    if st.exemption is not None:
        click.echo(f"  no duty: {st.exemption.text} ({st.exemption.confidence}) — {st.exemption.source}")
    elif not st.components:
        click.echo("  no duty programmes on file for this origin, code and date")
    for c in st.components:
        window = f"{c.start or '…'} → {c.until or 'ongoing'}"
        duty = f"  duty {money_text(amount * c.rate)} USD" if amount is not None else ""
        click.echo(f"  {c.programme:<18} {percent_text(c.rate):>7}  [{window}] ({c.confidence}){duty}")
        click.echo(f"      {c.source}")
        if c.note:
            click.echo(f"      note: {c.note}")
    for c in st.uncertain:
        click.echo(f"  (uncertain, not summed) {c.programme} {percent_text(c.rate)} — {c.source}")
    for n in st.notes:
        click.echo(f"  note ({n.confidence}): {n.text} — {n.source}")
    if st.incomplete:
        click.echo(f"  warning: the total may understate the duty: {st.incomplete}")
    click.echo(f"  total {percent_text(st.total_rate)}" + (f", duty {money_text(st.duty(amount))} USD" if amount is not None else ""))
    click.echo(f"  ({BROKER_NOTE}; windows: 'from' inclusive, 'until' exclusive)")
