"""`auditor diff RUN_A RUN_B`: what changed between two recorded audits."""

from __future__ import annotations

import json

import click

from auditor.cli.db_cmd import DB_HELP, open_for_reading
from auditor.cli.exits import fail


def _asset(f: dict) -> str:
    a = f.get("asset") or {}
    where = f"{a.get('file')}:{a.get('line')}" if a.get("file") else ""
    return f"{a.get('key') or a.get('serial')}" + (f" ({where})" if where else "")


@click.command()
@click.argument("run_a")
@click.argument("run_b")
@click.option("--db", "url", metavar="URL", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the full diff (including unchanged findings) as JSON.")
def diff(run_a: str, run_b: str, url: str | None, as_json: bool) -> None:
    """Show new, resolved and unchanged findings and assets added or removed from RUN_A to RUN_B.

    RUN_A and RUN_B are run ids from `auditor history`, or `latest` / `previous`. Findings are
    matched by fingerprint (rule, asset key and evidence), never by line number.
    """
    from auditor.diff import diff_runs
    from auditor.store.runs import RunNotFound

    engine = open_for_reading(url)
    if engine is None:
        fail("no audit runs recorded in this database")
    try:
        d = diff_runs(engine, run_a, run_b, unchanged_detail=as_json)
    except RunNotFound as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(d.as_json(), indent=2, sort_keys=True, ensure_ascii=False))
        return
    c = d.counts()
    click.echo(f"run {d.before['run']} (as of {d.before['as_of']}) -> run {d.after['run']} (as of {d.after['as_of']})")
    click.echo(
        f"new: {c['new']}  resolved: {c['resolved']}  unchanged: {c['unchanged']}  "
        f"assets added: {c['assets_added']}  assets removed: {c['assets_removed']}"
    )
    for mark, items in (("+", d.new), ("-", d.resolved)):
        for f in items:
            click.echo(f"{mark} {f['severity']:<8} {f['rule_id']}  {_asset(f)}  {f['message']}")
    for mark, items in (("+ asset", d.assets_added), ("- asset", d.assets_removed)):
        for a in items:
            click.echo(f"{mark} {a['asset_key']}" + (f" (x{a['count']})" if a["count"] != 1 else ""))
