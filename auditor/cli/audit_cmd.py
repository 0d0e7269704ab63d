"""`auditor audit`: read inventories, evaluate rules, write reports, exit with the contract code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.exits import CLEAN, FINDINGS, INCOMPLETE, fail
from auditor.cli.options import DATE, split_formats, today_utc
from auditor.limits import RULE_TIME_BUDGET_S

FAIL_ON = ["info", "low", "medium", "high", "critical", "never"]


@click.command()
@click.argument("inventory", nargs=-1, required=True)
@click.option("--as-of", "as_of", type=DATE, envvar="AUDITOR_AS_OF", show_envvar=True,
              help="Audit date (default: today, UTC). Governs rule windows and lists.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Rule directory or file (repeatable; default: the bundled rule pack).")
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(path_type=Path),
              help="Directory receiving report.json, report.html and the other formats.")
@click.option("--overwrite", is_flag=True,
              help="Remove report files of an earlier run from --out first (without it, such files are an error).")
@click.option("--format", "formats", default="json,html", show_default=True, help="Comma-separated output formats.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="high", show_default=True,
              help="Exit 1 when an open finding is at or above this severity.")
@click.option("--fail-on-new-only", is_flag=True,
              help="With --baseline: exit 1 only for findings that are new against the baseline.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 instead of 1 when findings fail the gate (errors still exit 2, 3 or 4).")
@click.option("--strict", is_flag=True, help="Any rejected row makes the audit INCOMPLETE (exit 3).")
@click.option("--rule-timeout", "rule_timeout", type=click.FloatRange(min=0, min_open=True), default=RULE_TIME_BUDGET_S,
              show_default=True, metavar="SECONDS",
              help="Time budget of each rule; a rule that runs longer is not evaluated and the audit is INCOMPLETE.")
@click.option("--db", "db_url", help="Database URL for imported lists and history (default: AUDITOR_DB or a per-user SQLite file).")
@click.option("--bundled-lists-only", is_flag=True, help="Screen against the bundled curated list only (ignore imported lists).")
@click.option("--no-bundled-list", is_flag=True, help="Do not screen against the bundled curated list.")
@click.option("--cleared", type=click.Path(), help="Reviewed file of cleared (false-positive) screening matches.")
@click.option("--max-list-age", "max_list_age", default=90, show_default=True, type=click.IntRange(1),
              help="Warn when an imported list was retrieved more than this many days before --as-of.")
@click.option("--approved-firmware", type=click.Path(dir_okay=False),
              help="Organisation's approved-firmware list (TOML); without it the approved-firmware rule does not apply.")
@click.option("--ownership", type=click.Path(), help="Ownership records (TOML) for the Affiliates (50%) rule.")
@click.option("--tariffs", type=click.Path(dir_okay=False), help="Your own tariff schedule (TOML; default: the bundled one).")
@click.option("--facilities", type=click.Path(dir_okay=False), help="Your own facility registry (TOML).")
@click.option("--advisories", type=click.Path(dir_okay=False), help="Your own firmware advisories (TOML).")
@click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False),
              help="Reviewed waiver file (TOML); waived findings stay visible, marked waived, until they expire.")
@click.option("--max-waiver-days", default=180, show_default=True, type=click.IntRange(1),
              help="Longest lifetime a waiver may have.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="A previous report.json: findings are marked new / unchanged, and absent ones listed.")
@click.option("--diff-against", "diff_ref", metavar="RUN|previous",
              help="Mark findings new since a recorded run (needs the history database).")
@click.option("--record/--no-record", default=None,
              help="Record the run in the history database (default: when --db or AUDITOR_DB names one).")
@click.option("--org", "organisation", help="Organisation name shown on the report.")
@click.option("--sign", is_flag=True, help="Sign the report (PAdES PDF + DSSE statement over every file).")
@click.option("--key", "key_dir", type=click.Path(path_type=Path),
              help="Key directory from `auditor keys generate` (or a .p12 file); passphrase from AUDITOR_KEY_PASSPHRASE.")
@click.option("--sarif-min-severity", type=click.Choice(["info", "low", "medium", "high", "critical"]),
              help="Lowest severity listed in report.sarif (default: the --fail-on level); the rest is counted.")
@click.option("-q", "--quiet", is_flag=True, help="Only the one-line summary.")
def audit(inventory, as_of, rule_dirs, out_dir, overwrite, formats, fail_on, fail_on_new_only, exit_zero, strict,
          rule_timeout, db_url,
          bundled_lists_only, no_bundled_list, cleared, max_list_age, ownership, tariffs, facilities,
          advisories, approved_firmware, waivers_path, max_waiver_days, baseline, diff_ref, record, organisation, sign,
          key_dir, sarif_min_severity, quiet):
    """Audit INVENTORY files (CSV, JSON or JSON Lines) and write reports into --out."""
    from auditor import formats as fmt_registry
    from auditor.audit import AuditOptions, run_audit
    from auditor.engine.checks.base import RuleError
    from auditor.inventory.errors import InventoryError
    from auditor.refdata.loader import RefDataOptions

    selected = split_formats(formats, fmt_registry.names())
    for name in selected:
        missing = fmt_registry.missing_dependency(name)
        if missing:
            fail(missing)
    if fail_on_new_only and not click.get_current_context().params.get("baseline"):
        fail("--fail-on-new-only needs --baseline (a previous report.json to compare with)")
    if baseline and diff_ref:
        fail("give either --baseline FILE or --diff-against RUN, not both")
    if sign and key_dir is None:
        fail("--sign needs --key DIR (create one with `auditor keys generate --out DIR`)")
    from auditor.output import OutputError, check_out_dir, prepare_out_dir

    try:  # before anything is evaluated: a folder we cannot use is a usage error
        check_out_dir(out_dir, overwrite=overwrite, signing=sign)
    except OutputError as exc:
        fail(str(exc))
    signing_key = None
    if sign:
        # Key, passphrase and certificate are checked before anything is written: a failed
        # signature must not leave an unsigned report behind.
        from auditor.cli.keys_cmd import read_passphrase
        from auditor.signing import SigningError
        from auditor.signing.sign import prepare_signing

        try:
            signing_key = prepare_signing(key_dir, read_passphrase(confirm=False))
        except SigningError as exc:
            fail(f"cannot sign: {exc}")
    opts = AuditOptions(
        inventories=list(inventory),
        as_of=as_of or today_utc(),
        rule_dirs=list(rule_dirs),
        refdata=RefDataOptions(db_url=db_url, use_db=not bundled_lists_only,
                               include_curated=not no_bundled_list, cleared=cleared,
                               max_list_age_days=max_list_age,
                               ownership=ownership, tariffs=tariffs, facilities=facilities, advisories=advisories,
                               approved_firmware=approved_firmware),
        strict=strict,
        organisation=organisation,
        rule_timeout_s=rule_timeout,
    )
    waivers, base = _load_decorations(waivers_path, baseline, opts.as_of, max_waiver_days)
    if record is None:
        import os

        record = bool(db_url or os.environ.get("AUDITOR_DB"))
    progress = _progress if sys.stderr.isatty() and not quiet else None
    started_at = _now()
    try:
        result = run_audit(opts, progress)
    except (RuleError, InventoryError) as exc:
        fail(str(exc))
    except Exception as exc:
        # Reference-data and option files (OSError, ValueError) and the list store: a readable
        # message, exit 2. The store (SQLAlchemy, ~150 ms to import) is loaded only when rules
        # screen against lists, so its error class is looked up rather than imported here.
        store = sys.modules.get("auditor.store.db")
        if isinstance(exc, (OSError, ValueError)) or (store is not None and isinstance(exc, store.StoreError)):
            fail(str(exc))
        raise
    if progress:
        click.echo("\r" + " " * 40 + "\r", err=True, nl=False)
    if waivers is not None:
        from auditor.waivers import apply_waivers

        apply_waivers(result, waivers)
    if base is not None:
        from auditor.baseline import apply_baseline

        apply_baseline(result, base)
        result.options["baseline_source"] = {"baseline": baseline}  # the reports name the file compared with
    elif diff_ref:
        _diff_against_history(result, db_url, diff_ref)

    result.options["gate"] = {"fail_on": fail_on, "new_only": fail_on_new_only}  # JUnit/Markdown show the gate
    result.options["sarif_min_severity"] = sarif_min_severity
    result.options["outputs"] = [f for name in selected for f in fmt_registry.filenames(name)]
    try:
        prepare_out_dir(out_dir, overwrite=overwrite, signing=sign)
        written = [fmt_registry.get(name).write(result, out_dir) for name in selected]
    except OutputError as exc:
        fail(str(exc))
    except OSError as exc:  # disk full, read-only file system, permissions changed meanwhile
        fail(f"cannot write the report into {out_dir}: {exc.strerror or exc}")
    if signing_key is not None:
        from auditor.signing import SigningError
        from auditor.signing.sign import sign_folder

        try:
            sign_folder(out_dir, signing_key)
        except SigningError as exc:
            fail(f"signing failed: {exc}")

    if record:
        from auditor.store.db import StoreError
        from auditor.store.runs import record_audit

        try:
            run_id = record_audit(db_url, result, started_at, _now())
        except StoreError as exc:
            fail(f"the report was written but the run was not recorded: {exc}")
        if not quiet:
            click.echo(f"auditor: recorded as run {run_id}", err=True)

    summary = result.summary()
    code = exit_code(result, fail_on, new_only=fail_on_new_only, exit_zero=exit_zero)
    if not quiet:
        for w in sorted(result.warnings):
            click.echo(f"auditor: warning: {w}", err=True)
        for r in result.incomplete_reasons:
            click.echo(f"auditor: INCOMPLETE: {r}", err=True)
    sev = ", ".join(f"{n} {s}" for s, n in reversed(summary["open_by_severity"].items()) if n)
    click.echo(
        f"auditor: {summary['rows_read']} rows read, {summary['rows_audited']} audited, "
        f"{summary['rows_rejected']} rejected; {summary['findings']} findings"
        + (f" ({sev}" + (f"; {summary['waived']} waived" if summary.get("waived") else "") + ")"
           if sev or summary.get("waived") else "")
        + f" on {summary['assets_with_findings']} rigs; status {summary['status']}; exit {code}; "
        + f"reports in {out_dir}/ ({', '.join(p.name for p in written)})"
    )
    sys.exit(code)


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _load_decorations(waivers_path, baseline, as_of, max_days):
    """Waiver and baseline files are checked before anything is evaluated (bad file: exit 2)."""
    waivers = base = None
    if waivers_path:
        from auditor.waivers import WaiverError, load_waivers

        try:
            waivers = load_waivers(waivers_path, as_of, max_days)
        except WaiverError as exc:
            for line in exc.lines():
                click.echo(f"auditor: error: {line}", err=True)
            sys.exit(2)
    if baseline:
        from auditor.baseline import BaselineError, load_baseline

        try:
            base = load_baseline(baseline)
        except BaselineError as exc:
            fail(str(exc))
    return waivers, base


def _diff_against_history(result, db_url, ref):
    from auditor.diff import diff_against
    from auditor.store.db import StoreError, open_engine, require_current
    from auditor.store.runs import RunNotFound

    try:
        engine = open_engine(db_url)
        require_current(engine)
        d = diff_against(engine, result, int(ref) if ref.isdigit() else ref)
    except (StoreError, RunNotFound) as exc:
        fail(str(exc))
    if d is None:
        result.warnings.append("--diff-against previous: no earlier run is recorded; every finding is new")
        result.baseline = {}
    else:
        d.apply_to(result)


def exit_code(result, fail_on: str, new_only: bool = False, exit_zero: bool = False) -> int:
    """DESIGN.md exit codes. --exit-zero masks only 1: an incomplete audit is never "clean"."""
    from auditor.gate import Gate

    if not result.complete:
        return INCOMPLETE
    if Gate(fail_on, new_only).fails(result):
        return CLEAN if exit_zero else FINDINGS
    return CLEAN


def _progress(rows: int) -> None:
    click.echo(f"\rauditor: reading… {rows:,} rows", err=True, nl=False)
