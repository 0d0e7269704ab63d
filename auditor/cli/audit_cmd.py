"""`auditor audit`: read inventories, evaluate rules, write reports, exit with the contract code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.exits import CLEAN, FINDINGS, INCOMPLETE, fail
from auditor.cli.options import DATE, split_formats, today_utc

FAIL_ON = ["info", "low", "medium", "high", "critical", "never"]


@click.command()
@click.argument("inventory", nargs=-1, required=True)
@click.option("--as-of", "as_of", type=DATE, help="Audit date (default: today, UTC). Governs rule windows and lists.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Rule directory or file (repeatable; default: the bundled rule pack).")
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(path_type=Path),
              help="Directory receiving report.json, report.html and the other formats.")
@click.option("--format", "formats", default="json,html", show_default=True, help="Comma-separated output formats.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="high", show_default=True,
              help="Exit 1 when an open finding is at or above this severity.")
@click.option("--strict", is_flag=True, help="Any rejected row makes the audit INCOMPLETE (exit 3).")
@click.option("--db", "db_url", help="Database URL for imported lists and history (default: AUDITOR_DB or a per-user SQLite file).")
@click.option("--bundled-lists-only", is_flag=True, help="Screen against the bundled curated list only (ignore imported lists).")
@click.option("--no-bundled-list", is_flag=True, help="Do not screen against the bundled curated list.")
@click.option("--cleared", type=click.Path(), help="Reviewed file of cleared (false-positive) screening matches.")
@click.option("--org", "organisation", help="Organisation name shown on the report.")
@click.option("-q", "--quiet", is_flag=True, help="Only the one-line summary.")
def audit(inventory, as_of, rule_dirs, out_dir, formats, fail_on, strict, db_url, bundled_lists_only,
          no_bundled_list, cleared, organisation, quiet):
    """Audit INVENTORY files (CSV) and write reports into --out."""
    from auditor import formats as fmt_registry
    from auditor.audit import AuditOptions, run_audit
    from auditor.engine.checks.base import RuleError
    from auditor.inventory.errors import InventoryError
    from auditor.refdata.loader import RefDataOptions
    from auditor.store.db import StoreError

    selected = split_formats(formats, fmt_registry.names())
    opts = AuditOptions(
        inventories=list(inventory),
        as_of=as_of or today_utc(),
        rule_dirs=list(rule_dirs),
        refdata=RefDataOptions(db_url=db_url, use_db=not bundled_lists_only,
                               include_curated=not no_bundled_list, cleared=cleared),
        strict=strict,
        organisation=organisation,
    )
    progress = _progress if sys.stderr.isatty() and not quiet else None
    try:
        result = run_audit(opts, progress)
    except (RuleError, InventoryError, StoreError) as exc:
        fail(str(exc))
    except (OSError, ValueError) as exc:
        # Reference-data and option files: a readable message, exit 2.
        fail(str(exc))
    if progress:
        click.echo("\r" + " " * 40 + "\r", err=True, nl=False)

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create output directory {out_dir}: {exc.strerror}")
    written = [fmt_registry.get(name).write(result, out_dir) for name in selected]

    summary = result.summary()
    code = exit_code(result, fail_on)
    if not quiet:
        for w in sorted(result.warnings):
            click.echo(f"auditor: warning: {w}", err=True)
        for r in result.incomplete_reasons:
            click.echo(f"auditor: INCOMPLETE: {r}", err=True)
    sev = ", ".join(f"{n} {s}" for s, n in reversed(summary["open_by_severity"].items()) if n)
    click.echo(
        f"auditor: {summary['rows_read']} rows read, {summary['rows_audited']} audited, "
        f"{summary['rows_rejected']} rejected; {summary['findings']} findings"
        + (f" ({sev})" if sev else "")
        + f" on {summary['assets_with_findings']} rigs; status {summary['status']}; exit {code}; "
        + f"reports in {out_dir}/ ({', '.join(p.name for p in written)})"
    )
    sys.exit(code)


def exit_code(result, fail_on: str) -> int:
    from auditor.model import Severity

    if not result.complete:
        return INCOMPLETE
    if fail_on == "never":
        return CLEAN
    threshold = Severity.parse(fail_on)
    summary = result.summary()
    if any(n for s, n in summary["open_by_severity"].items() if Severity.parse(s) >= threshold):
        return FINDINGS
    return CLEAN


def _progress(rows: int) -> None:
    click.echo(f"\rauditor: reading… {rows:,} rows", err=True, nl=False)
