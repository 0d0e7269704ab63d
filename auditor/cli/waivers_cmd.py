"""`auditor waivers lint | list`: check and review a waiver file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from auditor.cli.db_cmd import DB_HELP, open_for_reading
from auditor.cli.exits import USAGE, fail
from auditor.cli.options import as_of_option, refdata_options
from auditor.defaults import MAX_WAIVER_DAYS


def _parse_days(ctx, param, value):
    from auditor.waivers import parse_days

    if value is None:
        return None
    try:
        return parse_days(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _load(path: str, as_of: date, max_days: int):
    from auditor.waivers import WaiverError, load_waivers

    try:
        return load_waivers(path, as_of, max_days)
    except WaiverError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(USAGE) from None


def _audit(inventories, rule_dirs, as_of: date, url: str | None, refdata):
    """The findings `auditor audit` produces on the given files: the same run, nothing written."""
    from auditor.run import AuditRequest, RunError, run

    request = AuditRequest(inventories=tuple(inventories), as_of=as_of, rule_dirs=tuple(rule_dirs),
                           refdata=replace(refdata, db_url=url))
    try:
        return run(request).result
    except RunError as exc:
        fail(str(exc))


@click.group()
def waivers() -> None:
    """Check and review waiver files (accepted risks with an approver and an expiry)."""


@waivers.command()
@click.argument("file", type=click.Path(dir_okay=False))
@as_of_option("Judge expiry as of DATE.")
@click.option("--max-lifetime", default=f"{MAX_WAIVER_DAYS}d", show_default=True, callback=_parse_days, metavar="DAYS",
              help="Longest allowed time from created to expires (e.g. 180d, 26w).")
@click.option("--db", "url", metavar="URL", help=DB_HELP)
@click.option("--run", "run_ref", default="latest", show_default=True, metavar="RUN",
              help="Recorded run whose findings each waiver must match (id, latest or previous).")
@click.option("--inventory", "inventories", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Check matches against a fresh audit of FILE (repeatable) instead of a recorded run.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
              help="With --inventory: rule directory or file (repeatable; default: the bundled rule pack).")
@click.option("--no-match-check", is_flag=True,
              help="Do not check that every waiver matches a finding (no recorded run needed).")
@refdata_options
def lint(file: str, as_of: date, max_lifetime: int, url: str | None, run_ref: str,
         inventories: tuple[str, ...], rule_dirs: tuple[Path, ...], no_match_check: bool, refdata) -> None:
    """Check a waiver file; exit 2 on any problem.

    Problems: invalid TOML, unknown or missing keys, an expiry in the past or more than
    --max-lifetime away, and — unless --no-match-check — a waiver naming a rule that the
    audit does not have, or matching none of its findings. The audit is the recorded run RUN
    (the latest by default: record audits with `auditor audit … --db URL`), or with
    --inventory a fresh audit of the given files as of --as-of, run exactly as `auditor audit`
    runs it with the same reference-data flags (no history database needed).
    """
    from auditor.store.runs import RunNotFound, finding_assets, get_run
    from auditor.waivers import Candidate, candidates_from_result, lint_waivers

    loaded = _load(file, as_of, max_lifetime)
    candidates = known_rules = None
    against = ""
    if inventories and not no_match_check:
        result = _audit(inventories, rule_dirs, as_of, url, refdata)
        candidates = list(candidates_from_result(result))
        known_rules = [r.id for r in result.rules]
        against = f" against an audit of {', '.join(inventories)}"
    elif not no_match_check:
        engine = open_for_reading(url)
        if engine is None:
            fail("no audit run recorded to check waiver matches against: record an audit with --db, "
                 "or pass --no-match-check")
        try:
            run = get_run(engine, run_ref)
        except RunNotFound as exc:
            fail(f"{exc}: cannot check waiver matches (record an audit with --db, or pass --no-match-check)")
        candidates = [Candidate(*row) for row in finding_assets(engine, run.id)]
        known_rules = [r["id"] for r in run.rules]
        against = f" against run {run.id} (as of {run.as_of.isoformat()})"
    problems = lint_waivers(loaded, as_of, max_lifetime, candidates, known_rules)
    if problems:
        for line, msg in problems:
            click.echo(f"{file}:{line}: {msg}" if line else f"{file}: {msg}", err=True)
        raise SystemExit(USAGE)
    click.echo(f"{file}: {len(loaded)} waiver(s) OK as of {as_of.isoformat()}{against}")


@waivers.command(name="list")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--expiring-within", callback=_parse_days, metavar="DAYS",
              help="Only waivers expiring within DAYS (e.g. 30d), expired ones included.")
@as_of_option("Reference date.")
@click.option("--max-lifetime", default=f"{MAX_WAIVER_DAYS}d", show_default=True, callback=_parse_days, metavar="DAYS")
@click.option("--json", "as_json", is_flag=True, help="Print the waivers as JSON.")
def list_(file: str, expiring_within: int | None, as_of: date, max_lifetime: int, as_json: bool) -> None:
    """List the waivers of FILE by expiry date, with their state as of today (or --as-of)."""
    from auditor.waivers import expiring_within as select_expiring

    loaded = _load(file, as_of, max_lifetime)
    if expiring_within is not None:
        shown = select_expiring(loaded, as_of, expiring_within)
    else:
        shown = sorted(loaded, key=lambda w: (w.expires, w.id))

    def state(w) -> str:
        days = (w.expires - as_of).days
        if days <= 0:
            return f"expired {-days} day(s) ago" if days else "expired today"
        return f"expires in {days} day(s)"

    if as_json:
        out = [{**w.as_json(), "days_left": (w.expires - as_of).days, "expired": w.expired(as_of)} for w in shown]
        click.echo(json.dumps({"as_of": as_of.isoformat(), "waivers": out}, indent=2, sort_keys=True,
                              ensure_ascii=False))
        return
    if not shown:
        click.echo("no waivers" + (f" expiring within {expiring_within} days" if expiring_within is not None else ""))
        return
    for w in shown:
        click.echo(f"{w.id}  {w.expires.isoformat()}  {state(w)}  rule {w.rule}  {w.asset_text()}  "
                   f"approved by {w.approver}")
