"""Option types shared by several commands."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, Callable

import click

from auditor.defaults import AS_OF_ENV, MAX_LIST_AGE_DAYS


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


def as_of_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--as-of DATE` as every command takes it: the date given, else AUDITOR_AS_OF, else today in UTC.

    The command receives a date, never None: one clock for every command.
    """
    return click.option(
        "--as-of", "as_of", type=DATE, envvar=AS_OF_ENV, show_envvar=True,
        callback=lambda ctx, param, value: value or today_utc(),
        help=f"{help} Default: today (UTC).",
    )


def split_formats(value: str, known: list[str]) -> list[str]:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in known]
    if bad:
        raise click.BadParameter(f"unknown format {bad[0]!r} (choose from {', '.join(known)})", param_hint="--format")
    if not names:
        raise click.BadParameter("no format given", param_hint="--format")
    return sorted(set(names), key=names.index)


# Reference-data flags, shared by every command that evaluates an inventory (`audit`, `waivers
# lint --inventory`) so that they judge the same findings. The command receives one
# `refdata` argument (auditor.refdata.loader.RefDataOptions, without its db_url).
_REFDATA_FLAGS: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
    click.option("--bundled-lists-only", is_flag=True,
                 help="Screen against the bundled curated list only (ignore imported lists)."),
    click.option("--no-bundled-list", is_flag=True, help="Do not screen against the bundled curated list."),
    click.option("--cleared", type=click.Path(), help="Reviewed file of cleared (false-positive) screening matches."),
    click.option("--max-list-age", "max_list_age", default=MAX_LIST_AGE_DAYS, show_default=True,
                 type=click.IntRange(1),
                 help="An imported list retrieved more than this many days before --as-of makes the audit "
                      "INCOMPLETE."),
    click.option("--approved-firmware", type=click.Path(dir_okay=False),
                 help="Organisation's approved-firmware list (TOML); without it the approved-firmware rule "
                      "does not apply."),
    click.option("--ownership", type=click.Path(), help="Ownership records (TOML) for the Affiliates (50%) rule."),
    click.option("--tariffs", type=click.Path(dir_okay=False),
                 help="Your own tariff schedule (TOML; default: the bundled one)."),
    click.option("--facilities", type=click.Path(dir_okay=False), help="Your own facility registry (TOML)."),
    click.option("--advisories", type=click.Path(dir_okay=False), help="Your own firmware advisories (TOML)."),
]
_REFDATA_NAMES = ("bundled_lists_only", "no_bundled_list", "cleared", "max_list_age", "approved_firmware",
                  "ownership", "tariffs", "facilities", "advisories")


def refdata_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the reference-data flags; the command gets them as one `refdata` keyword argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from auditor.refdata.loader import RefDataOptions

        f = {name: kwargs.pop(name) for name in _REFDATA_NAMES}
        kwargs["refdata"] = RefDataOptions(
            use_db=not f["bundled_lists_only"], include_curated=not f["no_bundled_list"], cleared=f["cleared"],
            max_list_age_days=f["max_list_age"], approved_firmware=f["approved_firmware"],
            ownership=f["ownership"], tariffs=f["tariffs"], facilities=f["facilities"], advisories=f["advisories"])
        return command(*args, **kwargs)

    for option in reversed(_REFDATA_FLAGS):
        wrapper = option(wrapper)
    return wrapper
