"""`auditor history`: the recorded audit runs, newest first."""

from __future__ import annotations

import json

import click

from auditor.cli.db_cmd import DB_HELP, open_for_reading


@click.command()
@click.option("--db", "url", metavar="URL", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
@click.option("--limit", type=click.IntRange(min=1), help="Show only the newest N runs.")
def history(url: str | None, as_json: bool, limit: int | None) -> None:
    """List recorded audit runs, newest first."""
    from auditor.store.runs import list_runs

    engine = open_for_reading(url)
    runs = list_runs(engine, limit) if engine is not None else []
    if as_json:
        click.echo(json.dumps({"runs": [r.as_json() for r in runs]}, indent=2, sort_keys=True))
        return
    if not runs:
        click.echo("no audit runs recorded")
        return
    header = ("run", "as of", "finished (UTC)", "status", "assets", "findings", "open", "waived", "inputs")
    rows = []
    for r in runs:
        s = r.summary
        open_n = sum((s.get("open_by_severity") or {}).values())
        rows.append((
            str(r.id), r.as_of.isoformat(), r.as_json()["finished_at"][:19].replace("T", " "), r.status,
            str(r.assets), str(r.findings), str(open_n), str(s.get("waived", 0)), r.input_hash[:12],
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    numeric = {0, 4, 5, 6, 7}
    for row in [header, *rows]:
        click.echo("  ".join(c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
