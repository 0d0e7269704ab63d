"""Option types shared by several commands."""

from __future__ import annotations

from datetime import date

import click


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in YYYY-MM-DD form", param, ctx)


DATE = DateType()


class MomentType(click.ParamType):
    """A moment: YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time; naive times are UTC."""

    name = "DATE"

    def convert(self, value, param, ctx):
        from datetime import datetime, timezone

        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD) or ISO date-time", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


MOMENT = MomentType()


def today_utc() -> date:
    """The default as-of date. Only commands call this; the core never reads the clock."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).date()


def split_formats(value: str, known: list[str]) -> list[str]:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in known]
    if bad:
        raise click.BadParameter(f"unknown format {bad[0]!r} (choose from {', '.join(known)})", param_hint="--format")
    if not names:
        raise click.BadParameter("no format given", param_hint="--format")
    return sorted(set(names), key=names.index)
